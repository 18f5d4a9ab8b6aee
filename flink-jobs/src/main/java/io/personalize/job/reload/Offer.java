package io.personalize.job.reload;

import java.util.List;

/**
 * What came of a reading offered to what serves ({@link Serving#offer}): whether it now serves, and
 * what of it was refused. A reading may be applied in part (a model registry whose one model fails
 * its checks): then both are set.
 *
 * @param applied whether what serves changed
 * @param refusals what was refused, each written as one dead letter; empty when nothing was
 */
public record Offer(boolean applied, List<Refusal> refusals) {

    public Offer {
        refusals = List.copyOf(refusals);
    }

    /** The reading serves now. */
    public static Offer accepted() {
        return new Offer(true, List.of());
    }

    /** Nothing changes: the reading is what serves, or was refused already. */
    public static Offer unchanged() {
        return new Offer(false, List.of());
    }

    /** The reading is refused whole; it is the dead letter's payload and makes its id. */
    public static Offer refused(String message, String reading) {
        return new Offer(false, List.of(new Refusal(message, reading, reading)));
    }

    /**
     * One thing refused.
     *
     * @param message why, as logged and written in the dead letter
     * @param idText what the dead letter's id derives from (the same refusal gives the same id)
     * @param payload what the dead letter stores; null for none
     */
    public record Refusal(String message, String idText, String payload) {}
}
