package io.personalize.core.features;

/** Exponential decay by half-life. */
final class Decay {
    private Decay() {}

    /** {@code value} after {@code elapsed} ms with the given half-life. */
    static double decayed(double value, long elapsedMillis, long halfLifeMillis) {
        if (elapsedMillis <= 0 || value == 0.0) {
            return value;
        }
        return value * Math.pow(0.5, (double) elapsedMillis / halfLifeMillis);
    }
}
