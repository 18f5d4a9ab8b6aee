package io.personalize.core.decisions;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The reasons a {@link Decision} records, as stable strings: a code, then (for most) {@code ": "}
 * and a detail. Parse by splitting at the first {@code ": "}.
 *
 * <ul>
 *   <li>{@code suppressed_address: hard_bounce}, {@code ...: complaint}, {@code ...: soft_bounces},
 *       {@code ...: suppression_list}: the address is suppressed for every flow (checked before
 *       consent)
 *   <li>{@code no_consent: false}, {@code no_consent: unknown}: email consent is not {@code true}
 *       (unsubscribe and complaint set it to false)
 *   <li>{@code flow_removed}: the flow of a deferred decision is no longer defined
 *   <li>{@code condition_failed: <condition source>}: one per failed condition
 *   <li>{@code reentry: once}: a once-only flow the customer already entered
 *   <li>{@code cooldown: 7d}: the flow was entered less than its cooldown ago
 *   <li>{@code already_deferred: <decision id>}: another decision of the flow is deferred
 *   <li>{@code holdout: <experiment id>}: in the experiment's holdout (outcome held_out)
 *   <li>{@code lower_priority: <flow id>}: the flow that is sent at this moment instead
 *   <li>{@code already_sent: <flow id>}: an email was already sent at this very moment (by an
 *       earlier call at the same event time)
 *   <li>{@code quiet_hours: 21:00-08:00 Europe/Paris}: the quiet period and the zone applied
 *   <li>{@code frequency_cap: 1 per 16h}: one per cap that blocks at the decision time
 *   <li>{@code expired: deferred 2d}: it could not be sent within the maximum delay
 *   <li>{@code history: older than 7d}: the trigger is older than the live horizon by the wall
 *       clock (outcome replayed)
 * </ul>
 *
 * Durations are written in the largest unit that divides them: {@code 2d}, {@code 16h}, {@code
 * 90m}, {@code 30s}, {@code 1500ms}.
 */
public final class Reasons {
    public static final String SUPPRESSED_ADDRESS = "suppressed_address";
    public static final String NO_CONSENT = "no_consent";
    public static final String FLOW_REMOVED = "flow_removed";
    public static final String CONDITION_FAILED = "condition_failed";
    public static final String REENTRY = "reentry";
    public static final String COOLDOWN = "cooldown";
    public static final String ALREADY_DEFERRED = "already_deferred";
    public static final String HOLDOUT = "holdout";
    public static final String LOWER_PRIORITY = "lower_priority";
    public static final String ALREADY_SENT = "already_sent";
    public static final String QUIET_HOURS = "quiet_hours";
    public static final String FREQUENCY_CAP = "frequency_cap";
    public static final String EXPIRED = "expired";
    public static final String HISTORY = "history";

    private Reasons() {}

    static String of(String code, String detail) {
        return code + ": " + detail;
    }

    /** The code of a reason: the text before the first {@code ": "}. */
    public static String code(String reason) {
        int colon = reason.indexOf(": ");
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    static String quietHours(LocalTime start, LocalTime end, ZoneId zone) {
        return of(QUIET_HOURS, start + "-" + end + " " + zone.getId());
    }

    static String expired(Duration maxDelay) {
        return of(EXPIRED, "deferred " + duration(maxDelay));
    }

    static String history(Duration liveHorizon) {
        return of(HISTORY, "older than " + duration(liveHorizon));
    }

    /** A duration in the largest unit that divides it, e.g. {@code 7d}, {@code 16h}. */
    public static String duration(Duration duration) {
        long ms = duration.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
