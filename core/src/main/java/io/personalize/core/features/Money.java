package io.personalize.core.features;

/**
 * Amounts as whole millionths of the currency unit: sums of longs are exact, so revenue comes out
 * bit for bit the same in any order of the events (sums of doubles differ in the last bits).
 */
final class Money {
    private static final double MICROS = 1_000_000.0;

    private Money() {}

    static long micros(Double amount) {
        return amount == null ? 0L : Math.round(amount * MICROS);
    }

    static double amount(long micros) {
        return micros / MICROS;
    }
}
