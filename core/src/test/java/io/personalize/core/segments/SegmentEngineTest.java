package io.personalize.core.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.LineItem;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine as the job drives it: events into the feature engine, a timer at the earlier of the
 * next feature change and the next time-driven segment change, every transition with its time.
 */
class SegmentEngineTest {
    private static final Instant T0 = Instant.parse("2025-03-03T10:15:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration MS = Duration.ofMillis(1);

    /** One customer driven like the job's keyed operator, recording transitions with times. */
    private static final class Customer {
        final FeatureEngine features = new FeatureEngine(FeatureConfig.defaults());
        final CustomerState state = new CustomerState();
        final SegmentState memberships = new SegmentState();
        SegmentEngine segments;
        final List<String> log = new ArrayList<>();
        int evaluated;

        Customer(CompiledSegments rules) {
            segments = new SegmentEngine(rules);
        }

        Customer apply(Event event) {
            features.apply(state, event);
            evaluate();
            return this;
        }

        /** Fires every timer up to {@code end}, as the watermark passing would. */
        Customer runUntil(Instant end) {
            for (long next = nextTimer(); next <= end.toEpochMilli(); next = nextTimer()) {
                features.advanceTo(state, next);
                evaluate();
            }
            return this;
        }

        /** A new rule version, applied as of the customer's clock. */
        Customer reload(CompiledSegments rules) {
            segments = new SegmentEngine(rules);
            evaluate();
            return this;
        }

        long nextTimer() {
            return Math.min(
                    features.nextChangeAt(state),
                    segments.nextChangeAt(snapshot(), TimeAnchors.of(features, state)));
        }

        CustomerFeatures snapshot() {
            return features.snapshot(state, "c:1", 0L);
        }

        void evaluate() {
            CustomerFeatures f = snapshot();
            for (SegmentEngine.Transition t :
                    segments.evaluate(memberships, f, TimeAnchors.of(features, state))) {
                log.add(
                        (t.entered() ? "+" : t.exited() ? "-" : "~")
                                + t.segmentId()
                                + " "
                                + Instant.ofEpochMilli(f.asOf));
            }
            evaluated += segments.lastEvaluated();
        }

        List<String> members() {
            return segments.members(memberships);
        }
    }

    private static CompiledSegments rules(long version, String... idAndRule) {
        StringBuilder yaml = new StringBuilder("version: " + version + "\nsegments:\n");
        for (int i = 0; i < idAndRule.length; i += 2) {
            yaml.append("  - id: ").append(idAndRule[i]).append("\n    name: n\n    rule: \"");
            yaml.append(idAndRule[i + 1]).append("\"\n");
        }
        try {
            return SegmentCompiler.standard().compile(yaml.toString());
        } catch (SegmentValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static CompiledSegments defaults() {
        try {
            return SegmentCompiler.standard().compile(SegmentDefinitions.defaultsText());
        } catch (SegmentValidationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static Event event(EventType type, Instant at) {
        Event e = new Event();
        e.eventId = type + "-" + at.toEpochMilli();
        e.eventType = type;
        e.occurredAt = at.toEpochMilli();
        e.ingestedAt = e.occurredAt;
        e.customerId = "1";
        e.items = List.of();
        return e;
    }

    private static Event order(String id, Instant at) {
        Event e = event(EventType.ORDER_COMPLETED, at);
        e.orderId = id;
        e.orderTotal = 100.0;
        return e;
    }

    private static Event view(String productId, Instant at) {
        Event e = event(EventType.PRODUCT_VIEW, at);
        e.items = List.of(new LineItem(productId, "phones", 10.0, 1));
        return e;
    }

    @Test
    void lapsedIsEnteredExactly60DaysAfterTheLastPurchaseWithoutANewEvent() {
        Customer c =
                new Customer(defaults())
                        .apply(order("o-1", T0))
                        .runUntil(T0.plus(DAY.multipliedBy(200)));

        assertThat(c.log)
                .contains("+lapsed_customers " + T0.plus(DAY.multipliedBy(60)).plus(MS))
                .doesNotContain("+lapsed_customers " + T0.plus(DAY.multipliedBy(60)));
        assertThat(c.members()).containsExactly("lapsed_customers");
    }

    @Test
    void recentBuyersIsLeftExactlyWhenTheEighthDayStarts() {
        Customer c =
                new Customer(defaults())
                        .apply(order("o-1", T0))
                        .runUntil(T0.plus(DAY.multipliedBy(10)));

        assertThat(c.log)
                .contains("+recent_buyers " + T0, "-recent_buyers " + T0.plus(DAY.multipliedBy(8)));
    }

    @Test
    void asOfRulesChangeOneMillisecondAfterTheirThreshold() {
        Customer c =
                new Customer(rules(1, "quiet", "as_of - last_purchase_at > duration('36h')"))
                        .apply(order("o-1", T0))
                        .runUntil(T0.plus(DAY.multipliedBy(3)));

        assertThat(c.log).containsExactly("+quiet " + T0.plus(Duration.ofHours(36)).plus(MS));
    }

    @Test
    void viewedProductLeavesItsWindowOneMillisecondAfterIt() {
        Customer c =
                new Customer(rules(1, "viewer", "viewed_product('p-1', duration('48h'))"))
                        .apply(view("p-1", T0))
                        .runUntil(T0.plus(DAY.multipliedBy(5)));

        // views are kept to the minute: the one at 10:15 counts from 10:15
        assertThat(c.log)
                .containsExactly(
                        "+viewer " + T0, "-viewer " + T0.plus(Duration.ofHours(48)).plus(MS));
    }

    @Test
    void ageChangesOnTheBirthday() {
        Event profile = event(EventType.PROFILE_UPDATED, T0);
        profile.birthDate = "1991-03-10";
        Customer c =
                new Customer(rules(1, "over_34", "age > 33"))
                        .apply(profile)
                        .runUntil(T0.plus(DAY.multipliedBy(30)));

        assertThat(c.log).containsExactly("+over_34 2025-03-10T00:00:00Z");
    }

    @Test
    void dayCountsInOtherFormsAreCheckedEveryDay() {
        Customer c =
                new Customer(rules(1, "odd_days", "days_since_last_purchase % 2 == 1"))
                        .apply(order("o-1", T0))
                        .runUntil(T0.plus(DAY.multipliedBy(3)).plus(MS));

        assertThat(c.log)
                .containsExactly(
                        "+odd_days " + T0.plus(DAY),
                        "-odd_days " + T0.plus(DAY.multipliedBy(2)),
                        "+odd_days " + T0.plus(DAY.multipliedBy(3)));
    }

    @Test
    void onlyRulesWhoseInputsChangedAreEvaluatedAgain() {
        Customer c =
                new Customer(
                        rules(
                                1,
                                "viewers",
                                "product_views_7d > 0",
                                "buyers",
                                "lifetime_orders > 0",
                                "both",
                                "in_segment('viewers') && in_segment('buyers')"));
        c.apply(view("p-1", T0));
        assertThat(c.evaluated).isEqualTo(3); // the first evaluation runs everything
        c.apply(view("p-2", T0.plusSeconds(60)));
        assertThat(c.evaluated).isEqualTo(4); // only viewers: its input changed, its result not
        c.apply(order("o-1", T0.plusSeconds(120)));
        assertThat(c.evaluated).isEqualTo(6); // buyers, and both because buyers changed
        assertThat(c.members()).containsExactly("both", "buyers", "viewers");
    }

    @Test
    void aNewRuleVersionReEvaluatesEveryRuleAndRemovedSegmentsAreLeft() {
        Customer c = new Customer(rules(1, "a", "lifetime_orders > 0", "b", "lifetime_orders > 5"));
        c.apply(order("o-1", T0));
        assertThat(c.members()).containsExactly("a");

        c.reload(rules(2, "b", "lifetime_orders > 0", "c", "lifetime_orders == 1"));

        assertThat(c.members()).containsExactly("b", "c");
        assertThat(c.log).containsExactly("+a " + T0, "-a " + T0, "+b " + T0, "+c " + T0);
        assertThat(c.memberships.version).isEqualTo(2);
    }

    @Test
    void unknownIsATransitionOfItsOwnWithTheReason() {
        Customer c = new Customer(rules(1, "gold", "loyalty_tier == 'gold'"));
        List<SegmentEngine.Transition> transitions = new ArrayList<>();
        c.features.apply(c.state, order("o-1", T0));
        transitions.addAll(
                c.segments.evaluate(
                        c.memberships, c.snapshot(), TimeAnchors.of(c.features, c.state)));

        assertThat(transitions)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.to()).isEqualTo(Membership.UNKNOWN);
                            assertThat(t.entered() || t.exited()).isFalse();
                            assertThat(t.reason()).isEqualTo("no value for loyalty_tier");
                        });
    }

    @Test
    void asOfOutsideComparisonsIsRefusedAtLoad() {
        assertThatThrownBy(
                        () ->
                                SegmentCompiler.standard()
                                        .compile(
                                                "version: 1\nsegments:\n  - id: mornings\n    name: n\n"
                                                        + "    rule: as_of.getHours() < 9\n"))
                .isInstanceOf(SegmentValidationException.class)
                .hasMessageContaining("mornings")
                .hasMessageContaining("1:1")
                .hasMessageContaining("as_of can only be compared");
    }

    @Test
    void viewedProductWindowsMustBeLiteralAndAtMostSevenDays() {
        assertThatThrownBy(
                        () ->
                                SegmentCompiler.standard()
                                        .compile(
                                                "version: 1\nsegments:\n  - id: long\n    name: n\n"
                                                        + "    rule: viewed_product('p', duration('200h'))\n"
                                                        + "  - id: computed\n    name: n\n"
                                                        + "    rule: viewed_product('p', duration('1h') + duration('1h'))\n"))
                .isInstanceOf(SegmentValidationException.class)
                .hasMessageContaining("long")
                .hasMessageContaining("longer than the 7 days")
                .hasMessageContaining("computed")
                .hasMessageContaining("needs a literal window");
    }
}
