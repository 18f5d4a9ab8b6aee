package io.personalize.core.features;

import java.util.Set;

/**
 * Suppression of a customer's e-mail address for every flow: a hard bounce, a spam complaint, a run
 * of soft bounces reaching the threshold ({@link FeatureConfig#softBounceThreshold()}), or the
 * address on the suppression list. The earliest of them by event time is the reason and the time
 * the {@code suppressed}, {@code suppression_reason} and {@code suppressed_at} features show; of
 * two at the same instant, the first reason by name. A bounce or complaint suppresses for good; the
 * list suppresses while the address is on it.
 */
public final class Suppression {
    public static final String HARD_BOUNCE = "hard_bounce";
    public static final String COMPLAINT = "complaint";
    public static final String SOFT_BOUNCES = "soft_bounces";
    public static final String SUPPRESSION_LIST = "suppression_list";

    /** {@code email.bounce_type} of a hard bounce; anything else counts as soft. */
    static final String HARD_BOUNCE_TYPE = "hard";

    private Suppression() {}

    /** Records a suppression by an event; the earliest one stays (see the class comment). */
    static void suppress(CustomerState state, String reason, long at) {
        if (earlier(at, reason, state.suppressedAt, state.suppressedReason)) {
            state.suppressedReason = reason;
            state.suppressedAt = at;
        }
    }

    private static boolean earlier(long at, String reason, Long currentAt, String current) {
        return currentAt == null
                || at < currentAt
                || (at == currentAt && reason.compareTo(current) < 0);
    }

    /**
     * The reason in force: the earliest of the events' suppression and the list's; null if none.
     */
    static String reason(CustomerState state) {
        if (state.listedAt != null
                && earlier(
                        state.listedAt,
                        SUPPRESSION_LIST,
                        state.suppressedAt,
                        state.suppressedReason)) {
            return SUPPRESSION_LIST;
        }
        return state.suppressedReason;
    }

    /** The time of {@link #reason}; null when not suppressed. */
    static Long at(CustomerState state) {
        String reason = reason(state);
        return reason == null
                ? null
                : SUPPRESSION_LIST.equals(reason) ? state.listedAt : state.suppressedAt;
    }

    /**
     * Matches the customer's address against the suppression list that serves (hashes): sets when
     * it was found on it ({@code at}, the customer's clock) or clears it when it is not on it any
     * more.
     *
     * @param hashes the keyed hashes of the listed addresses; null for no list
     * @return whether the customer's suppression changed
     */
    public static boolean matchList(CustomerState state, Set<String> hashes, long at) {
        boolean listed =
                hashes != null && state.emailHash != null && hashes.contains(state.emailHash);
        if (listed == (state.listedAt != null)) {
            return false;
        }
        state.listedAt = listed ? at : null;
        return true;
    }

    /** Whether {@link #matchList} would change the customer's suppression. */
    public static boolean listChanges(CustomerState state, Set<String> hashes) {
        boolean listed =
                hashes != null && state.emailHash != null && hashes.contains(state.emailHash);
        return listed != (state.listedAt != null);
    }
}
