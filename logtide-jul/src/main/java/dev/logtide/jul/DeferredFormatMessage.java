package dev.logtide.jul;

import dev.logtide.LogEntry;
import dev.logtide.LogLevel;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.MessageFormat;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code java.util.logging.Formatter.formatMessage}, split so that its costly part,
 * {@code java.text.MessageFormat} (about 3 us and 4 KB per record), runs on LogTide's sender
 * thread. The calling thread does what formatMessage does before that call (bundle lookup, the
 * checks) and copies the parameters; the sender formats the copy. The text is the same as
 * formatMessage's for the record at the time of the log call.
 *
 * <p>Mirrors formatMessage of JDK 9 and later (the same in 11, 17, 21 and 25; JDK 8 looked only
 * for {@code "{0"} to {@code "{3"}).
 */
final class DeferredFormatMessage implements Supplier<String> {
    /** JUL has no public static helper for formatMessage; a formatter instance gives access to it. */
    private static final Formatter JUL = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    /**
     * Final classes whose instances cannot change and which MessageFormat formats by type (Number,
     * and DateTimeFormatter elements since JDK 23) or by toString: kept as they are.
     */
    private static final Set<Class<?>> IMMUTABLE = new HashSet<>(Arrays.asList(
            Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class, Float.class,
            Double.class, BigInteger.class, BigDecimal.class, java.util.UUID.class,
            Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class, ZonedDateTime.class,
            OffsetDateTime.class, OffsetTime.class, Duration.class, Period.class, Year.class, YearMonth.class,
            MonthDay.class, ZoneOffset.class, DayOfWeek.class, Month.class));

    /** A parameter whose string form is not counted. */
    private static final int OPAQUE_LENGTH = 16;

    private final String pattern;
    private final Locale locale;
    private final Object[] arguments;

    private DeferredFormatMessage(String pattern, Locale locale, Object[] arguments) {
        this.pattern = pattern;
        this.locale = locale;
        this.arguments = arguments;
    }

    /**
     * Starts the entry of a record whose message is not null, with the message formatMessage
     * would give: deferred when there is a MessageFormat to run, else the text itself.
     *
     * @throws RuntimeException where formatMessage throws (a bundle value that is not a String)
     */
    static LogEntry.Builder builder(LogLevel level, LogRecord record) {
        String format = record.getMessage();
        ResourceBundle catalog = record.getResourceBundle();
        if (catalog != null) {
            try {
                format = catalog.getString(format);
            } catch (MissingResourceException ex) {
                // As formatMessage: the record's message is the format.
            }
        }
        Object[] parameters = record.getParameters();
        if (parameters == null || parameters.length == 0 || !hasArgument(format)) {
            return LogEntry.builder(level, format);
        }
        Object[] snapshot;
        try {
            snapshot = snapshot(format, parameters);
        } catch (Throwable t) {
            // A toString() that throws: formatMessage's outcome depends on whether the pattern uses
            // that parameter, so let formatMessage decide, here, as before.
            snapshot = null;
        }
        if (snapshot == null) {
            return LogEntry.builder(level, JUL.formatMessage(record));
        }
        DeferredFormatMessage message = new DeferredFormatMessage(format,
                Locale.getDefault(Locale.Category.FORMAT), snapshot);
        return LogEntry.builder(level, null).deferredMessage(message, message.estimatedLength());
    }

    /**
     * Runs on the sender thread. {@code MessageFormat.format(format, parameters)}, as formatMessage
     * calls it, is {@code new MessageFormat(format)} (the default FORMAT locale when it runs) then
     * {@code format(parameters)}; the locale is the one of the log call. The default time zone
     * (for dates) is read when this runs.
     */
    @Override
    public String get() {
        try {
            return new MessageFormat(pattern, locale).format(arguments);
        } catch (Exception e) {
            return pattern; // as formatMessage: formatting failed, the (localised) format as it is
        }
    }

    private int estimatedLength() {
        long length = pattern.length();
        for (Object a : arguments) {
            length += a instanceof String ? ((String) a).length() : OPAQUE_LENGTH;
        }
        return (int) Math.min(Integer.MAX_VALUE, length);
    }

    /** formatMessage's test for a java.text style format: a '{' followed by a digit. */
    private static boolean hasArgument(String format) {
        int index = -1;
        int fence = format.length() - 1;
        while ((index = format.indexOf('{', index + 1)) > -1 && index < fence) {
            char digit = format.charAt(index + 1);
            if (digit >= '0' && digit <= '9') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the pattern may have an element with a type ({@code {0,number}}, {@code {0,list}}):
     * a '{', digits, then anything but '}'. Errs towards yes (quoted text is not skipped).
     */
    private static boolean mayHaveTypedElement(String format) {
        int index = -1;
        int length = format.length();
        while ((index = format.indexOf('{', index + 1)) > -1) {
            int i = index + 1;
            while (i < length && format.charAt(i) >= '0' && format.charAt(i) <= '9') {
                i++;
            }
            if (i > index + 1 && i < length && format.charAt(i) != '}') {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies the parameters into values MessageFormat formats exactly as it would the originals at
     * this moment, whatever the pattern does with them: immutable values as they are, a Date as a
     * new Date, anything else as its toString() (MessageFormat prints it so for {n}; an element
     * with a type rejects both it and its string).
     *
     * @return the copy, or null when a parameter has no such copy
     */
    private static Object[] snapshot(String format, Object[] parameters) {
        Object[] copy = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Object p = parameters[i];
            if (p == null || p instanceof String || IMMUTABLE.contains(p.getClass())) {
                copy[i] = p;
            } else if (p instanceof Date) {
                copy[i] = new Date(((Date) p).getTime()); // DateFormat reads nothing but getTime()
            } else if (p instanceof Number) {
                return null; // AtomicLong, LongAdder, a subclass: NumberFormat reads its value, not toString()
            } else if ((p instanceof List || p instanceof Object[] || p instanceof TemporalAccessor)
                    && mayHaveTypedElement(format)) {
                return null; // JDK 23+ {n,list} and DateTimeFormatter elements format these by type
            } else {
                String text = p.toString();
                copy[i] = text == null ? "null" : text; // MessageFormat prints "null" for a null toString()
            }
        }
        return copy;
    }
}
