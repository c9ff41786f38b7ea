/**
 * The Log4j2 appender plugin {@code <LogTide>} ({@link dev.logtide.log4j2.LogTideAppender}).
 *
 * <p>The plugin is listed in the jar's generated {@code Log4j2Plugins.dat}, so configurations
 * need no {@code packages} attribute. Log4j2 itself is a {@code provided} dependency: the
 * application brings its own, 2.17.0 or newer. See {@code docs/log4j2.md}.
 */
package dev.logtide.log4j2;
