package io.personalize.core.features;

import java.util.Objects;

/** One order of the last 90 days, as the features see it. A Flink POJO. */
public class OrderRecord {
    public String orderId;

    /** Event time of the order's first event. */
    public long at;

    /** Net amount: lines and totals, less cancellations and refunds. */
    public double amount;

    /** Fully cancelled: no longer counted as an order. */
    public boolean cancelled;

    public OrderRecord() {}

    public OrderRecord(String orderId, long at, double amount) {
        this.orderId = orderId;
        this.at = at;
        this.amount = amount;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderRecord other
                && at == other.at
                && Double.compare(amount, other.amount) == 0
                && cancelled == other.cancelled
                && Objects.equals(orderId, other.orderId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(orderId, at, amount, cancelled);
    }
}
