/**
 * What LogTide's HTTP request logging shares across web stacks. SLF4J is optional: it is needed only
 * by the default sink.
 */
module dev.logtide.http {
    requires transitive dev.logtide;
    requires static org.slf4j;

    exports dev.logtide.http;
}
