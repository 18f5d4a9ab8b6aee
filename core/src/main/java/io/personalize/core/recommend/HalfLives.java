package io.personalize.core.recommend;

/**
 * Exponential decay computed so that the result does not depend on where it is anchored: {@code
 * 2^(elapsed / halfLife)} as a power of two for the whole half-lives (exact) times {@code 2^(rest /
 * halfLife)} for the rest. With anchors on whole half-lives since the epoch ({@link #align}), the
 * rest depends only on the time itself, so values stored by different {@link ProductSlice}s (each
 * with an anchor of its own) are exactly a power of two apart from what one shared anchor would
 * give, and read back as of the same time to the same bits.
 */
final class HalfLives {

    /** Stored values are rescaled when the newest time is this many half-lives past the anchor. */
    static final long REBASE_AFTER = 256;

    private HalfLives() {}

    /** {@code 2^(elapsedMillis / halfLifeMillis)}, exact for whole half-lives. */
    static double scale(long elapsedMillis, long halfLifeMillis) {
        long whole = Math.floorDiv(elapsedMillis, halfLifeMillis);
        long rest = Math.floorMod(elapsedMillis, halfLifeMillis);
        // beyond ±4096 half-lives the result is 0 or infinite anyway
        int exponent = (int) Math.max(-4096, Math.min(4096, whole));
        return Math.scalb(Math.pow(2.0, (double) rest / halfLifeMillis), exponent);
    }

    /** The start of the half-life, counted in whole half-lives from the epoch, {@code at} is in. */
    static long align(long at, long halfLifeMillis) {
        return Math.floorDiv(at, halfLifeMillis) * halfLifeMillis;
    }
}
