package io.personalize.core.conversions;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Outcome;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.io.Serializable;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Attributes a customer's purchases to the decisions before them, plain Java: a purchase within the
 * window after a decision that was sent ({@code to_send}) or held out converts for it, so a flow's
 * variants can be compared with its holdout. When several decisions qualify, the {@link Mode} picks
 * one. Opens and clicks carry their decision id and are linked to it directly.
 */
public final class Attribution implements Serializable {
    /** Which of several qualifying decisions a purchase goes to. */
    public enum Mode {
        LAST,
        FIRST;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Mode fromCode(String code) {
            return valueOf(code.strip().toUpperCase(Locale.ROOT));
        }
    }

    public static final String BY_DECISION_ID = "decision_id";

    private final long windowMillis;
    private final Mode mode;

    public Attribution(Duration window, Mode mode) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the attribution window must be positive");
        }
        this.windowMillis = window.toMillis();
        this.mode = mode;
    }

    /** Whether a decision can ever be attributed to: sent or held out. */
    public static boolean attributable(Decision d) {
        return Outcome.TO_SEND.code().equals(d.outcome)
                || Outcome.HELD_OUT.code().equals(d.outcome);
    }

    /** Whether an event may convert: a completed order, an open or a click with a decision id. */
    public static boolean converting(Event e) {
        return e.eventType == EventType.ORDER_COMPLETED
                || (e.eventType == EventType.EMAIL_OPENED || e.eventType == EventType.EMAIL_CLICKED)
                        && e.decisionId != null;
    }

    /**
     * What attribution reads of an event, and nothing else (no payload, no lines): what the
     * conversion stage ships to its keyed task and keeps until the watermark passes.
     */
    public static Event slim(Event e) {
        Event slim = new Event();
        slim.eventId = e.eventId;
        slim.eventType = e.eventType;
        slim.occurredAt = e.occurredAt;
        slim.customerId = e.customerId;
        slim.anonymousId = e.anonymousId;
        slim.orderId = e.orderId;
        slim.orderTotal = e.orderTotal;
        slim.currency = e.currency;
        slim.decisionId = e.decisionId;
        return slim;
    }

    /** The conversion an event makes, if any, given the customer's recent decisions. */
    public Optional<Conversion> convert(Event e, List<AttributableDecision> decisions) {
        if (e.eventType == EventType.ORDER_COMPLETED) {
            return purchase(e, decisions);
        }
        if (!converting(e)) {
            return Optional.empty();
        }
        return decisions.stream()
                .filter(d -> d.decisionId.equals(e.decisionId))
                .findFirst()
                .map(
                        d ->
                                conversion(
                                        e,
                                        d,
                                        e.eventType == EventType.EMAIL_OPENED
                                                ? Conversion.OPEN
                                                : Conversion.CLICK,
                                        BY_DECISION_ID));
    }

    private Optional<Conversion> purchase(Event order, List<AttributableDecision> decisions) {
        Comparator<AttributableDecision> byTime =
                Comparator.comparingLong((AttributableDecision d) -> d.decidedAt)
                        .thenComparing(d -> d.decisionId);
        return decisions.stream()
                .filter(
                        d ->
                                d.decidedAt < order.occurredAt
                                        && order.occurredAt - d.decidedAt <= windowMillis)
                .max(mode == Mode.LAST ? byTime : byTime.reversed())
                .map(d -> conversion(order, d, Conversion.PURCHASE, mode.code()));
    }

    private static Conversion conversion(
            Event e, AttributableDecision d, String kind, String attribution) {
        Conversion c = new Conversion();
        c.conversionId = DeadLetters.id(d.decisionId, e.eventId);
        c.decisionId = d.decisionId;
        c.customerKey = e.customerKey();
        c.customerId = e.customerId;
        c.flowId = d.flowId;
        c.experimentId = d.experimentId;
        c.variant = d.variant;
        c.decisionOutcome = d.outcome;
        c.kind = kind;
        c.attribution = attribution;
        c.eventId = e.eventId;
        c.orderId = e.orderId;
        c.revenue = Conversion.PURCHASE.equals(kind) ? e.orderTotal : null;
        c.currency = e.currency;
        c.decidedAt = d.decidedAt;
        c.convertedAt = e.occurredAt;
        return c;
    }
}
