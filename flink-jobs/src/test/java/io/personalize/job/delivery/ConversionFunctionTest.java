package io.personalize.job.delivery;

import static io.personalize.core.testing.Events.order;
import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.events.Event;
import io.personalize.job.events.CustomerKeySelector;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ConversionFunctionTest {
    private static final long T0 = 1_780_000_000_000L;
    private static final Duration WINDOW = Duration.ofDays(7);

    private static KeyedTwoInputStreamOperatorTestHarness<String, Event, Decision, Conversion>
            harness() throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, Event, Decision, Conversion> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(
                                new ConversionFunction(
                                        new Attribution(WINDOW, Attribution.Mode.LAST),
                                        WINDOW.toMillis())),
                        new CustomerKeySelector(),
                        d -> d.customerKey,
                        Types.STRING);
        return h;
    }

    @Test
    void aPurchaseWaitsForTheWatermarkSoADecisionMadeBeforeItButEmittedLaterCounts()
            throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement1(new StreamRecord<>(order("o1", T0 + 2 * HOUR, 49.0), T0 + 2 * HOUR));
            // the decision stage emits its decision only when its watermark passes T0 + 1 h
            h.processElement2(new StreamRecord<>(decision("d1", "held_out", T0 + HOUR), T0 + HOUR));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBothWatermarks(new Watermark(T0 + 3 * HOUR));

            List<Conversion> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).decisionId).isEqualTo("d1");
            assertThat(out.get(0).decisionOutcome).isEqualTo("held_out");
            assertThat(out.get(0).revenue).isEqualTo(49.0);
        }
    }

    @Test
    void decisionsSurviveARestoreAndAreForgottenAfterTheWindow() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(decision("d1", "to_send", T0), T0));
            h.processElement2(new StreamRecord<>(decision("suppressed", "suppressed", T0), T0));
            h.processBothWatermarks(new Watermark(T0));
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(new StreamRecord<>(order("o1", T0 + DAY, 10.0), T0 + DAY));
            h.processBothWatermarks(new Watermark(T0 + 8 * DAY + 1));
            h.processElement1(new StreamRecord<>(order("o2", T0 + 9 * DAY, 10.0), T0 + 9 * DAY));
            h.processBothWatermarks(new Watermark(T0 + 10 * DAY));

            assertThat(h.extractOutputValues())
                    .extracting(c -> c.eventId + "->" + c.decisionId)
                    .containsExactly("order-o1->d1");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    private static Decision decision(String id, String outcome, long at) {
        Decision d = new Decision();
        d.decisionId = id;
        d.customerKey = "c:c1";
        d.customerId = "c1";
        d.flowId = "win_back";
        d.outcome = outcome;
        d.decidedAt = at;
        return d;
    }
}
