package io.personalize.job.customers;

import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Descriptors;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The suppression list in the watched customer operator, on Flink's test harness: a changed list
 * reaches customers who send nothing, a refused reading leaves the previous list serving, and the
 * updates input never moves event time.
 */
class WatchedSuppressionOperatorTest {
    private static final String HASH = "c".repeat(64);

    private KeyedTwoInputStreamOperatorTestHarness<
                    String, Event, SegmentRulesUpdate, CustomerFeatures>
            harness;

    private void open() throws Exception {
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new WatchedCustomerOperator(
                                new FeatureEngine(FeatureConfig.defaults()),
                                Duration.ofDays(400),
                                null,
                                SegmentDefinitions.defaults()),
                        new CustomerKeySelector(),
                        null,
                        Types.STRING);
        harness.open();
    }

    private void event(EventType type, long at, String emailHash) throws Exception {
        Event event = new Event();
        event.eventId = "e-" + type + at;
        event.eventType = type;
        event.customerId = "c1";
        event.occurredAt = at;
        event.items = List.of();
        event.orderId = "o-" + at;
        event.orderTotal = 10.0;
        event.emailHash = emailHash;
        harness.processElement1(new StreamRecord<>(event, at));
    }

    private void list(String hashes, String error) throws Exception {
        SegmentRulesUpdate update =
                hashes != null
                        ? SegmentRulesUpdate.of("list.txt", hashes, 0L)
                        : SegmentRulesUpdate.unreadable("list.txt", error, 0L);
        update.kind = SegmentRulesUpdate.SUPPRESSION_LIST;
        harness.processElement2(new StreamRecord<>(update));
    }

    private List<CustomerFeatures> rows() {
        return harness.extractOutputValues();
    }

    private CustomerFeatures last() {
        List<CustomerFeatures> rows = rows();
        return rows.get(rows.size() - 1);
    }

    @Test
    void aChangedListReachesACustomerWhoSendsNothingAndARefusedOneLeavesItServing()
            throws Exception {
        open();
        event(EventType.PROFILE_UPDATED, T0, HASH);
        harness.processWatermark1(new Watermark(T0 + 1_000));
        assertThat(last().suppressed).isEqualTo("false");

        list("d".repeat(64) + "\n" + HASH, null);
        CustomerFeatures listed = last();
        int rowsWhenListed = rows().size();
        list(null, "1 problem(s):\n  line 2: neither an e-mail address nor its hash");
        list("", null);

        assertThat(listed.suppressed).isEqualTo("true");
        assertThat(listed.suppressionReason).isEqualTo("suppression_list");
        assertThat(listed.suppressedAt).isEqualTo(T0 + 1_000); // the watermark when applied
        assertThat(harness.getSideOutput(Descriptors.DEAD_LETTERS))
                .extracting(r -> ((StreamRecord<DeadLetter>) r).getValue().stage)
                .containsExactly("suppression");
        assertThat(rows()).hasSize(rowsWhenListed + 1);
        assertThat(last().suppressed)
                .as("the empty list, after the refused one")
                .isEqualTo("false");
    }

    @Test
    void theNextEventMeetsTheListThatServes() throws Exception {
        open();
        list(HASH, null);
        event(EventType.PROFILE_UPDATED, T0, HASH);

        assertThat(last().suppressionReason).isEqualTo("suppression_list");
        assertThat(last().suppressedAt).isEqualTo(T0);
    }

    @Test
    void idleEventsWithAListUpdateDoNotMoveEventTimeToTheEnd() throws Exception {
        open();
        event(EventType.ORDER_COMPLETED, T0, null); // windows to expire, a timer set
        event(EventType.PROFILE_UPDATED, T0, HASH);
        harness.processWatermark1(new Watermark(T0));
        harness.processWatermarkStatus1(WatermarkStatus.IDLE);
        harness.processWatermark2(Watermark.MAX_WATERMARK);
        list(HASH, null);

        assertThat(harness.getOutput())
                .filteredOn(o -> o instanceof Watermark)
                .extracting(o -> ((Watermark) o).getTimestamp())
                .containsOnly(T0);
        assertThat(rows())
                .extracting(f -> f.asOf)
                .as("no timer fired, no customer moved past the events")
                .containsOnly(T0);
        assertThat(last().suppressionReason).isEqualTo("suppression_list");
    }
}
