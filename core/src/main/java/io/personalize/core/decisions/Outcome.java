package io.personalize.core.decisions;

import java.util.Locale;

/** What became of a decision; the code is stored in the {@code decisions} table. */
public enum Outcome {
    /** Passed every policy: handed to delivery. */
    TO_SEND,
    /**
     * Not sent, for good: no consent, unsubscribed, a failed re-check, cooldown, re-entry, lower
     * priority.
     */
    SUPPRESSED,
    /**
     * Held back by a frequency cap or quiet hours; a timer re-evaluates it at the first allowed
     * moment.
     */
    DEFERRED,
    /** Deferred for longer than the maximum delay. */
    EXPIRED,
    /** In the experiment's holdout: recorded, nothing sent. */
    HELD_OUT,
    /**
     * A trigger from history (older than the live horizon by the wall clock): recorded, never sent,
     * and not counted as a send or an entry (caps, cooldown, re-entry).
     */
    REPLAYED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
