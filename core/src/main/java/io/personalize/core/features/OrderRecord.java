package io.personalize.core.features;

import java.util.Objects;

/**
 * One order of the last 90 days, as the windowed features see it (lifetime counts come from {@link
 * OrderMemory}). A Flink POJO.
 */
public class OrderRecord {

    /** The order id, without the {@code C} of a retail cancellation ({@link StateUpdates}). */
    public String orderId;

    /** Event time of the order's earliest line or completion. */
    public long at;

    /**
     * Net amount in millionths ({@link Money}): lines and totals, less cancellations and refunds.
     */
    public long amountMicros;

    /** Cancelled with nothing left: no longer counted as an order. */
    public boolean cancelled;

    public OrderRecord() {}

    public OrderRecord(String orderId, long at, long amountMicros) {
        this.orderId = orderId;
        this.at = at;
        this.amountMicros = amountMicros;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderRecord other
                && at == other.at
                && amountMicros == other.amountMicros
                && cancelled == other.cancelled
                && Objects.equals(orderId, other.orderId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, at, amountMicros, cancelled);
    }
}
