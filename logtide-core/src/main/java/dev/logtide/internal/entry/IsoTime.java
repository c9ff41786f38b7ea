package dev.logtide.internal.entry;

import java.time.LocalDate;

/**
 * Formats an instant the way the server requires: UTC, {@code T} separator, upper-case {@code Z},
 * always at least millisecond precision (microseconds when the instant has them), years 0001 to 9999.
 */
final class IsoTime {
    private static final long SECONDS_PER_DAY = 86_400L;
    /** 0001-01-01T00:00:00Z. */
    private static final long MIN_EPOCH_SECOND = -62_135_596_800L;
    /** 9999-12-31T23:59:59Z. */
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final char[] buf = new char[40];
    private long cachedDay = Long.MIN_VALUE;
    private int dateLength;

    /**
     * @param epochSecond seconds since the epoch
     * @param nano        nanosecond adjustment
     * @return the number of characters written into {@link #chars()}
     */
    int format(long epochSecond, int nano) {
        // The server's schema takes four-digit years only: clamp instead of sending a rejected entry.
        if (epochSecond < MIN_EPOCH_SECOND) {
            epochSecond = MIN_EPOCH_SECOND;
            nano = 0;
        } else if (epochSecond > MAX_EPOCH_SECOND) {
            epochSecond = MAX_EPOCH_SECOND;
            nano = 999_999_999;
        }
        long day = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        if (day != cachedDay) {
            writeDate(day);
            cachedDay = day;
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        int p = dateLength;
        buf[p++] = 'T';
        p = two(secondOfDay / 3600, p);
        buf[p++] = ':';
        p = two(secondOfDay / 60 % 60, p);
        buf[p++] = ':';
        p = two(secondOfDay % 60, p);
        buf[p++] = '.';
        int digits = nano % 1_000_000 == 0 ? 3 : 6;
        int fraction = digits == 3 ? nano / 1_000_000 : nano / 1000;
        for (int i = digits - 1; i >= 0; i--) {
            buf[p + i] = (char) ('0' + fraction % 10);
            fraction /= 10;
        }
        p += digits;
        buf[p++] = 'Z';
        return p;
    }

    /** @return the buffer {@link #format} writes into */
    char[] chars() {
        return buf;
    }

    private void writeDate(long day) {
        String date = LocalDate.ofEpochDay(day).toString(); // handles years past 9999 with a sign
        date.getChars(0, date.length(), buf, 0);
        dateLength = date.length();
    }

    private int two(int v, int p) {
        buf[p] = (char) ('0' + v / 10);
        buf[p + 1] = (char) ('0' + v % 10);
        return p + 2;
    }
}
