package dev.logtide.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.testing.ChildJvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application's console, as the lifecycle tests' applications print it: each event as
 * {@code @@LEVEL|logger|message@@} (their console patterns say so), so that what a user saw on the
 * console can be matched against what reached the receiver.
 */
public final class Console {
    private static final Pattern EVENT = Pattern.compile("@@([A-Z]+)\\|([^|\\n]*)\\|(.*?)@@", Pattern.DOTALL);

    private Console() {
    }

    /**
     * One event as the console showed it.
     *
     * @param level   the framework's level name ({@code INFO}, {@code SEVERE}, ...)
     * @param logger  the logger name
     * @param message the formatted message
     */
    public record Line(String level, String logger, String message) {
        /** @return the LogTide level the adapters map this framework level to (docs/logback.md, log4j2.md, jul.md) */
        public String logTideLevel() {
            switch (level) {
                case "FATAL": return "critical";
                case "ERROR": case "SEVERE": return "error";
                case "WARN": case "WARNING": return "warn";
                case "INFO": case "CONFIG": return "info";
                default: return "debug";
            }
        }

        /**
         * @param entry an entry the receiver accepted
         * @return whether it is this event: same message, logger and level
         */
        public boolean sameAs(JsonNode entry) {
            return message.equals(entry.path("message").asText())
                    && logger.equals(entry.path("metadata").path("logger").asText())
                    && logTideLevel().equals(entry.path("level").asText());
        }

        @Override
        public String toString() {
            return level + " " + logger + ": " + message;
        }
    }

    /**
     * @param output everything the application printed
     * @return its events, in order
     */
    public static List<Line> lines(String output) {
        List<Line> lines = new ArrayList<>();
        Matcher m = EVENT.matcher(output);
        while (m.find()) {
            lines.add(new Line(m.group(1), m.group(2), m.group(3)));
        }
        return lines;
    }

    /**
     * Lines of the logging framework's own status output (Logback's status printer, Log4j2's
     * StatusLogger, the SDK's {@code [logtide]} stderr lines) that mention LogTide at a level;
     * the application's events and stack frames are not among them.
     *
     * @param output everything the application printed
     * @param level  {@code WARN} or {@code ERROR}
     * @return the matching lines
     */
    public static List<String> statusLines(String output, String level) {
        Pattern atLevel = Pattern.compile("(^|[^A-Za-z])" + level + "([^A-Za-z]|$)");
        return output.lines()
                .filter(line -> !line.startsWith("@@") && !line.startsWith("\tat "))
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("logtide") && atLevel.matcher(line).find())
                .collect(Collectors.toList());
    }

    /**
     * @param child        how the application ended
     * @param messageStart the start of a message it must have printed
     */
    public static void assertPrinted(ChildJvm.Result child, String messageStart) {
        assertTrue(lines(child.output).stream().anyMatch(line -> line.message().startsWith(messageStart)),
                "the application did not print '" + messageStart + "': " + child);
    }

    /**
     * Each event the console showed must match its own entry (level, logger, message) from
     * {@code service}; the failure lists the lines that were lost and the application's output.
     *
     * @param child    how the application ended
     * @param entries  what the receiver accepted
     * @param service  the service every entry must carry
     */
    public static void assertEveryLineArrived(ChildJvm.Result child, List<JsonNode> entries, String service) {
        List<Line> printed = lines(child.output);
        assertFalse(printed.isEmpty(), "no console line found: " + child);
        List<JsonNode> unmatched = new ArrayList<>(entries);
        List<Line> lost = new ArrayList<>();
        for (Line line : printed) {
            JsonNode match = unmatched.stream().filter(line::sameAs).findFirst().orElse(null);
            if (match == null) {
                lost.add(line);
            } else {
                unmatched.remove(match);
            }
        }
        assertTrue(lost.isEmpty(), (printed.size() - lost.size()) + "/" + printed.size() + " console lines arrived; lost:\n  "
                + lost.stream().map(Line::toString).collect(Collectors.joining("\n  ")) + "\n" + child);
        for (JsonNode entry : entries) {
            assertTrue(service.equals(entry.path("service").asText()), "service " + service + " expected: " + entry);
        }
    }

    /**
     * Issue 12, row 11: without a URL or key the appender stays inactive and says why in exactly
     * one warning naming the missing option, and nothing about LogTide is reported as an error.
     *
     * @param child how the application ended
     */
    public static void assertInactiveWithOneWarning(ChildJvm.Result child) {
        List<String> warnings = statusLines(child.output, "WARN");
        assertEquals(1, warnings.size(), "one warning about LogTide expected, got " + warnings + "\n" + child);
        assertTrue(warnings.get(0).contains("apiUrl") || warnings.get(0).contains("apiKey"),
                "the warning names the missing option: " + warnings.get(0));
        assertEquals(List.of(), statusLines(child.output, "ERROR"), "no error about LogTide expected: " + child);
    }
}
