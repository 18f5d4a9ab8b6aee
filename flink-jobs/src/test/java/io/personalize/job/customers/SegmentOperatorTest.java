package io.personalize.job.customers;

import static io.personalize.core.testing.Events.with;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.testing.Events;
import io.personalize.job.Descriptors;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Segments in the customer operator, on Flink's test harness: exact time-driven changes with no new
 * event, rule updates applied to customers who send nothing, refused updates, and restore.
 */
class SegmentOperatorTest {
    private static final long MS = 1;

    private static final String V1 =
            """
            version: 1
            segments:
              - id: lapsed_customers
                name: Lapsed Customers
                rule: lifetime_orders > 0 && orders_60d == 0
              - id: recent_buyers
                name: Recent Buyers
                rule: lifetime_orders > 0 && days_since_last_purchase <= 7
            """;

    private static final String V2 =
            V1.replace("version: 1", "version: 2")
                    + """
                      - id: long_gone
                        name: Long Gone
                        rule: days_since_last_purchase > 100
                      - id: big_spenders
                        name: Big Spenders
                        rule: lifetime_revenue >= 100.0
                    """;

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, Event, SegmentRulesUpdate, CustomerFeatures>
            harness(String configured) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new WatchedCustomerOperator(
                        new FeatureEngine(FeatureConfig.defaults()),
                        Duration.ofDays(400),
                        null,
                        SegmentDefinitions.parse(configured)),
                new CustomerKeySelector(),
                null,
                Types.STRING);
    }

    private static Event order(String customer, String id, long at, double total) {
        return with(Events.order(id, at, total), e -> e.customerId = customer);
    }

    private static void send(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, Event, SegmentRulesUpdate, CustomerFeatures>
                    h,
            Event e)
            throws Exception {
        h.processElement1(new StreamRecord<>(e, e.occurredAt));
    }

    private static void update(
            KeyedTwoInputStreamOperatorTestHarness<
                            String, Event, SegmentRulesUpdate, CustomerFeatures>
                    h,
            String yaml)
            throws Exception {
        h.processElement2(new StreamRecord<>(SegmentRulesUpdate.of("test.yaml", yaml, 0L)));
    }

    /** Changes as "customer +segment@day-offset v<version>", in order. */
    private static List<String> changes(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) {
        List<String> out = new ArrayList<>();
        var records = h.getSideOutput(Descriptors.SEGMENT_CHANGES);
        if (records == null) {
            return out;
        }
        for (StreamRecord<SegmentChange> r : records) {
            SegmentChange c = r.getValue();
            long offset = c.eventTime - T0;
            String at =
                    offset % DAY == 0
                            ? (offset / DAY) + "d"
                            : (offset / DAY) + "d+" + (offset % DAY) + "ms";
            out.add(
                    c.customerKey
                            + " "
                            + (c.change.equals(SegmentChange.ENTERED) ? "+" : "-")
                            + c.segmentId
                            + "@"
                            + at
                            + " v"
                            + c.ruleVersion);
        }
        return out;
    }

    @Test
    void lapsedIsEnteredAtExactlyLastPurchasePlus60DaysWithNoNewEvent() throws Exception {
        try (var h = harness(V1)) {
            h.open();
            send(h, order("c1", "o1", T0, 50.0));
            h.processWatermark1(new Watermark(T0 + 60 * DAY)); // not yet: 60 days exactly
            assertThat(changes(h))
                    .containsExactly("c:c1 +recent_buyers@0d v1", "c:c1 -recent_buyers@8d v1");

            h.processWatermark1(new Watermark(T0 + 60 * DAY + MS));

            assertThat(changes(h)).endsWith("c:c1 +lapsed_customers@60d+1ms v1");
            List<CustomerFeatures> rows = h.extractOutputValues();
            CustomerFeatures last = rows.get(rows.size() - 1);
            assertThat(last.asOf).isEqualTo(T0 + 60 * DAY + MS);
            assertThat(last.segments).containsExactly("lapsed_customers");
        }
    }

    @Test
    void changesDueBeforeALaterEventAreEmittedAtTheirOwnTimesEvenAheadOfTheWatermark()
            throws Exception {
        try (var h = harness(V1)) {
            h.open();
            // read customer by customer: the watermark has not reached these times yet
            send(h, order("c1", "o1", T0, 50.0));
            send(h, order("c1", "o2", T0 + 70 * DAY, 50.0));

            assertThat(changes(h))
                    .containsExactly(
                            "c:c1 +recent_buyers@0d v1",
                            "c:c1 -recent_buyers@8d v1",
                            "c:c1 +lapsed_customers@60d+1ms v1",
                            "c:c1 -lapsed_customers@70d v1",
                            "c:c1 +recent_buyers@70d v1");
        }
    }

    @Test
    void anUpdatedRuleReEvaluatesCustomersWhoSendNoEventAndTimesTheirNextChange() throws Exception {
        try (var h = harness(V1)) {
            h.open();
            send(h, order("c1", "o1", T0, 150.0));
            send(h, order("c2", "o2", T0 + DAY, 20.0));
            h.processWatermark1(new Watermark(T0 + 2 * DAY));
            int before = changes(h).size();

            update(h, V2);

            assertThat(changes(h).subList(before, changes(h).size()))
                    .containsExactly("c:c1 +big_spenders@2d v2");
            // long_gone needs a timer set from the update: nobody sends anything
            h.processWatermark1(new Watermark(T0 + 102 * DAY));
            assertThat(changes(h)).contains("c:c1 +long_gone@101d v2", "c:c2 +long_gone@102d v2");
        }
    }

    @Test
    void anInvalidUpdateIsRefusedAndTheServingVersionStays() throws Exception {
        try (var h = harness(V1)) {
            h.open();
            update(h, V2.replace("lifetime_revenue >= 100.0", "lifetime_revenu >= 100.0"));
            update(h, V1.replace("orders_60d == 0", "orders_90d == 0")); // version not raised
            update(h, V1.replace("orders_60d == 0", "orders_90d == 0")); // polled again

            List<String> reasons = new ArrayList<>();
            for (StreamRecord<DeadLetter> r : h.getSideOutput(Descriptors.DEAD_LETTERS)) {
                reasons.add(
                        r.getValue().stage
                                + ":"
                                + r.getValue().reason
                                + ":"
                                + r.getValue().message);
            }
            assertThat(reasons).hasSize(2);
            assertThat(reasons.get(0))
                    .startsWith("segments:invalid_segment_rules:")
                    .contains("big_spenders")
                    .contains("lifetime_revenu");
            assertThat(reasons.get(1)).contains("version 1 is not above the serving version 1");

            send(h, order("c1", "o1", T0, 50.0));
            h.processWatermark1(new Watermark(T0 + 60 * DAY + MS));
            assertThat(changes(h))
                    .containsExactly(
                            "c:c1 +recent_buyers@0d v1",
                            "c:c1 -recent_buyers@8d v1",
                            "c:c1 +lapsed_customers@60d+1ms v1");
        }
    }

    @Test
    void aRestoreKeepsTheAppliedVersionMembershipsAndTimers() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(V1)) {
            h.open();
            send(h, order("c1", "o1", T0, 150.0));
            h.processWatermark1(new Watermark(T0 + DAY));
            update(h, V2);
            snapshot = h.snapshot(1L, T0 + DAY);
        }
        try (var restored = harness(V1)) { // configured with the older version
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark1(new Watermark(T0 + 101 * DAY));

            assertThat(changes(restored))
                    .containsExactly(
                            "c:c1 -recent_buyers@8d v2",
                            "c:c1 +lapsed_customers@60d+1ms v2",
                            "c:c1 +long_gone@101d v2");
            CustomerFeatures last =
                    restored.extractOutputValues().stream()
                            .filter(Objects::nonNull)
                            .reduce((a, b) -> b)
                            .orElseThrow();
            assertThat(last.segments)
                    .containsExactly("big_spenders", "lapsed_customers", "long_gone");
        }
    }
}
