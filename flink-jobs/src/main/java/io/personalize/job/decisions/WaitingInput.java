package io.personalize.job.decisions;

/**
 * A decision input waiting in keyed state for its turn: {@link #order} is where it stands in the
 * customer's sequence of inputs, {@link #releaseAt} the watermark it needs to be decided. A Flink
 * POJO.
 */
public class WaitingInput {
    /** Position in the customer's sequence: an event time, with triggers moved by their wait. */
    public long order;

    /** The watermark at or after which nothing can still arrive to be decided before it. */
    public long releaseAt;

    public DecisionInput input;

    public WaitingInput() {}

    WaitingInput(long order, long releaseAt, DecisionInput input) {
        this.order = order;
        this.releaseAt = releaseAt;
        this.input = input;
    }

    /** Features before triggers of the same position, triggers in a stable order. */
    int rank() {
        return input.features != null ? 0 : 1;
    }

    String tieBreak() {
        return input.trigger == null ? "" : input.trigger.name + "\n" + input.trigger.triggeringId;
    }
}
