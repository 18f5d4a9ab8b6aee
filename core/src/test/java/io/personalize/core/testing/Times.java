package io.personalize.core.testing;

/**
 * Named times for tests, in epoch milliseconds as events, features and operators count them: {@code
 * T0 + 3 * DAY}. (The feature engine's own tests count in {@code Instant}s and {@code Duration}s
 * instead, with a Monday as their start: see {@code io.personalize.core.features.Events}.)
 */
public final class Times {
    public static final long SECOND = 1_000L;
    public static final long MINUTE = 60 * SECOND;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;

    /** 2025-03-01T00:00:00Z, a Saturday at midnight UTC: where the tests' histories start. */
    public static final long T0 = 1_740_787_200_000L;

    private Times() {}
}
