package io.personalize.job.customers;

import static io.personalize.core.testing.Events.order;
import static io.personalize.core.testing.Events.with;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.testing.Events;
import io.personalize.job.events.CustomerKeySelector;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The customer operator's features with their state and timers, on Flink's test harness. */
class CustomerOperatorTest {
    private static final long MS = 1;
    private static final long DAY_30 = 30 * DAY;

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> harness(
            Long endOfTime) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(
                        new FeatureEngine(FeatureConfig.defaults()),
                        Duration.ofDays(400),
                        endOfTime,
                        SegmentDefinitions.defaults()),
                new CustomerKeySelector(),
                Types.STRING);
    }

    /** A view in a session of its own. */
    private static Event view(String product, long at) {
        return with(Events.view(product, "apparel.shoes", at), e -> e.sessionId = "s-" + at);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h, Event e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.occurredAt));
    }

    private static CustomerFeatures last(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h) {
        List<CustomerFeatures> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void thirtyDayOrderCountDropsAtExactlyDayThirtyPlusOneMillisecondWithoutANewEvent()
            throws Exception {
        try (var h = harness(null)) {
            h.open();
            send(h, order("o1", T0, 50.0));
            assertThat(last(h).orders30d).isEqualTo(1);

            h.processWatermark(new Watermark(T0 + DAY_30));
            int rows = h.extractOutputValues().size(); // the 7-day expiry has fired by now
            assertThat(last(h).orders7d).isZero();
            assertThat(last(h).orders30d).isEqualTo(1); // exactly 30 days old: still in the window

            h.processWatermark(new Watermark(T0 + DAY_30 + MS));
            CustomerFeatures expired = last(h);
            assertThat(h.extractOutputValues()).hasSize(rows + 1);
            assertThat(expired.asOf).isEqualTo(T0 + DAY_30 + MS);
            assertThat(expired.orders30d).isZero();
            assertThat(expired.revenue30d).isZero();
            assertThat(expired.orders60d).isEqualTo(1);
            assertThat(expired.revenue90d).isEqualTo(50.0);
        }
    }

    @Test
    void outOfOrderEventsLandInTheirOwnWindows() throws Exception {
        try (var h = harness(null)) {
            h.open();
            send(h, order("o-late-day", T0 + 10 * DAY, 30.0));
            send(h, order("o-early-day", T0 + 2 * DAY, 20.0)); // arrives later, happened earlier

            CustomerFeatures features = last(h);
            assertThat(features.asOf).isEqualTo(T0 + 10 * DAY);
            assertThat(features.orders7d).isEqualTo(1);
            assertThat(features.orders30d).isEqualTo(2);
            assertThat(features.revenue30d).isEqualTo(50.0);
            assertThat(features.firstPurchaseAt).isEqualTo(T0 + 2 * DAY);
            assertThat(features.lastPurchaseAt).isEqualTo(T0 + 10 * DAY);

            // The early order leaves the 7-day... it never was in it; it leaves 30 days at day 32.
            h.processWatermark(new Watermark(T0 + 32 * DAY + MS));
            assertThat(last(h).orders30d).isEqualTo(1);
        }
    }

    @Test
    void timersAfterTheEndOfTimeDoNothing() throws Exception {
        try (var h = harness(T0 + 5 * DAY)) {
            h.open();
            send(h, order("o1", T0, 50.0));
            h.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(last(h).orders30d).isEqualTo(1);
        }
    }

    @Test
    void snapshotThenRestoreKeepsEveryFeatureAndThePendingExpiry() throws Exception {
        OperatorSubtaskState snapshot;
        CustomerFeatures before;
        try (var h = harness(null)) {
            h.open();
            send(h, order("o1", T0, 50.0));
            send(h, view("p1", T0 + DAY));
            send(h, order("o2", T0 + 3 * DAY, 25.0));
            before = last(h);
            snapshot = h.snapshot(1L, T0 + 3 * DAY);
        }
        try (var restored = harness(null)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(new Watermark(T0 + 3 * DAY));
            assertThat(restored.extractOutputValues()).isEmpty();

            restored.processWatermark(
                    new Watermark(T0 + 7 * DAY + MS)); // o1 leaves the 7-day window
            CustomerFeatures after = last(restored);
            assertThat(after.orders7d).isEqualTo(1);
            assertThat(after.orders30d).isEqualTo(2);
            assertThat(after.lifetimeRevenue).isEqualTo(before.lifetimeRevenue);
            assertThat(after.topCategories).isEqualTo(before.topCategories);
            assertThat(after.recentlyViewedProducts).containsExactly("p1");

            send(restored, view("p2", T0 + 9 * DAY)); // p1, viewed on day 1, is 8 days old
            assertThat(last(restored).recentlyViewedProducts).containsExactly("p2");
            assertThat(last(restored).sessions7d).isEqualTo(1);
        }
    }
}
