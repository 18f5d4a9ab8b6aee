package io.personalize.core.conversions;

import static io.personalize.core.testing.Events.order;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Decision;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributionTest {
    private static final long T0 = 1_780_000_000_000L;

    private final Attribution lastTouch =
            new Attribution(Duration.ofDays(7), Attribution.Mode.LAST);
    private final Attribution firstTouch =
            new Attribution(Duration.ofDays(7), Attribution.Mode.FIRST);

    @Test
    void aPurchaseGoesToTheLastDecisionBeforeItWithinTheWindow() {
        List<AttributableDecision> decisions =
                List.of(
                        decision("d-cart", "abandoned_cart", "to_send", T0),
                        decision("d-win", "win_back", "held_out", T0 + DAY));
        Conversion c = lastTouch.convert(order("o1", T0 + 2 * DAY, 80.0), decisions).orElseThrow();
        assertThat(c.decisionId).isEqualTo("d-win");
        assertThat(c.decisionOutcome).isEqualTo("held_out");
        assertThat(c.kind).isEqualTo(Conversion.PURCHASE);
        assertThat(c.attribution).isEqualTo("last");
        assertThat(c.revenue).isEqualTo(80.0);
        assertThat(c.convertedAt).isEqualTo(T0 + 2 * DAY);
        assertThat(c.decidedAt).isEqualTo(T0 + DAY);

        assertThat(
                        firstTouch
                                .convert(order("o1", T0 + 2 * DAY, 80.0), decisions)
                                .orElseThrow()
                                .decisionId)
                .isEqualTo("d-cart");
    }

    @Test
    void noConversionOutsideTheWindowOrBeforeOrAtTheDecision() {
        List<AttributableDecision> decisions =
                List.of(decision("d1", "abandoned_cart", "to_send", T0));
        assertThat(lastTouch.convert(order("late", T0 + 7 * DAY + 1, 10.0), decisions)).isEmpty();
        assertThat(lastTouch.convert(order("edge", T0 + 7 * DAY, 10.0), decisions)).isPresent();
        assertThat(lastTouch.convert(order("before", T0 - 1, 10.0), decisions)).isEmpty();
        // the purchase that itself triggered a decision does not convert for it
        assertThat(lastTouch.convert(order("same", T0, 10.0), decisions)).isEmpty();
    }

    @Test
    void opensAndClicksLinkToTheDecisionTheyName() {
        List<AttributableDecision> decisions =
                List.of(
                        decision("d1", "abandoned_cart", "to_send", T0),
                        decision("d2", "win_back", "to_send", T0 + HOUR));
        Event click = email(EventType.EMAIL_CLICKED, "d1", T0 + 2 * HOUR);
        Conversion c = lastTouch.convert(click, decisions).orElseThrow();
        assertThat(c.decisionId).isEqualTo("d1");
        assertThat(c.flowId).isEqualTo("abandoned_cart");
        assertThat(c.kind).isEqualTo(Conversion.CLICK);
        assertThat(c.attribution).isEqualTo(Attribution.BY_DECISION_ID);
        assertThat(c.revenue).isNull();
        assertThat(lastTouch.convert(email(EventType.EMAIL_OPENED, "unknown", T0), decisions))
                .isEmpty();
        assertThat(Attribution.converting(email(EventType.EMAIL_OPENED, null, T0))).isFalse();
    }

    @Test
    void onlySentAndHeldOutDecisionsAreAttributable() {
        Decision d = new Decision();
        for (String outcome : List.of("to_send", "held_out")) {
            d.outcome = outcome;
            assertThat(Attribution.attributable(d)).as(outcome).isTrue();
        }
        for (String outcome : List.of("suppressed", "deferred", "expired")) {
            d.outcome = outcome;
            assertThat(Attribution.attributable(d)).as(outcome).isFalse();
        }
    }

    @Test
    void theConversionIdIsTheSameForTheSameDecisionAndEvent() {
        List<AttributableDecision> decisions =
                List.of(decision("d1", "abandoned_cart", "to_send", T0));
        assertThat(
                        lastTouch
                                .convert(order("o1", T0 + HOUR, 5.0), decisions)
                                .orElseThrow()
                                .conversionId)
                .isEqualTo(
                        lastTouch
                                .convert(order("o1", T0 + HOUR, 5.0), decisions)
                                .orElseThrow()
                                .conversionId)
                .isNotEqualTo(
                        lastTouch
                                .convert(order("o2", T0 + HOUR, 5.0), decisions)
                                .orElseThrow()
                                .conversionId);
    }

    private static AttributableDecision decision(String id, String flow, String outcome, long at) {
        AttributableDecision d = new AttributableDecision();
        d.decisionId = id;
        d.flowId = flow;
        d.outcome = outcome;
        d.variant = "held_out".equals(outcome) ? "holdout" : "default";
        d.decidedAt = at;
        return d;
    }

    private static Event email(EventType type, String decisionId, long at) {
        Event e = new Event();
        e.eventId = "ev-" + type + at;
        e.eventType = type;
        e.customerId = "c1";
        e.decisionId = decisionId;
        e.occurredAt = at;
        return e;
    }
}
