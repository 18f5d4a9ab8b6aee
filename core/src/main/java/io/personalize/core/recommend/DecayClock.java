package io.personalize.core.recommend;

import java.time.Duration;

/**
 * Exponential decay by event time for many values at once, without touching every value when time
 * moves on.
 *
 * <p>A value is stored scaled to a fixed anchor time: a weight {@code w} added at {@code t} is
 * stored as {@code w * 2^((t - anchor) / halfLife)}, and read as {@code stored * 2^((anchor -
 * newest) / halfLife)}, i.e. decayed to the newest time seen. This is the same result as decaying
 * every value each time the newest time advances (as the customer affinity does), but costs nothing
 * per value. Because all values share one factor, their order never changes with time. To keep the
 * stored numbers in range, the owner rescales everything when the newest time moves {@value
 * #REBASE_AFTER_HALF_LIVES} half-lives past the anchor (see {@link #advance}).
 */
final class DecayClock {

    /** 2^256 is far from overflow even for large sums, and rebasing stays rare. */
    static final double REBASE_AFTER_HALF_LIVES = 256;

    private final double halfLifeMillis;
    private boolean started;
    private long anchor;
    private long newest;

    DecayClock(Duration halfLife) {
        if (halfLife.toMillis() < 1) {
            throw new IllegalArgumentException("half-life must be at least 1 ms: " + halfLife);
        }
        this.halfLifeMillis = halfLife.toMillis();
    }

    /** Starts the clock with the anchor at {@code at}, so stored values equal current values. */
    void startAt(long at) {
        started = true;
        anchor = at;
        newest = at;
    }

    /**
     * Moves the newest time to {@code at} when it is later. Returns the factor by which the owner
     * must multiply every stored value because the anchor moved, or 1 when it did not.
     */
    double advance(long at) {
        if (!started) {
            startAt(at);
            return 1.0;
        }
        if (at <= newest) {
            return 1.0;
        }
        newest = at;
        if ((newest - anchor) / halfLifeMillis <= REBASE_AFTER_HALF_LIVES) {
            return 1.0;
        }
        double factor = scale(anchor - newest);
        anchor = newest;
        return factor;
    }

    /** What to store for a weight added at {@code at}. */
    double stored(double weight, long at) {
        return weight * scale(at - anchor);
    }

    /** The factor that turns stored values into values decayed to the newest time. */
    double currentFactor() {
        return started ? scale(anchor - newest) : 1.0;
    }

    /** Continues a clock exactly: the anchor and newest time it had. */
    void restore(long anchorAt, long newestAt) {
        started = true;
        anchor = anchorAt;
        newest = newestAt;
    }

    /** The time stored values are scaled to; only meaningful when {@link #started()}. */
    long anchor() {
        return anchor;
    }

    boolean started() {
        return started;
    }

    /** The newest event time seen; only meaningful when {@link #started()}. */
    long newest() {
        return newest;
    }

    private double scale(long elapsedMillis) {
        return Math.pow(2.0, elapsedMillis / halfLifeMillis);
    }
}
