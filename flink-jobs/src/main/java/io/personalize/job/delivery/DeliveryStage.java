package io.personalize.job.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.Outcome;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.job.Descriptors;
import io.personalize.job.Operators;
import io.personalize.job.config.DeliverySettings;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Delivers every {@code to_send} decision to its flow's endpoint with Flink's async I/O:
 *
 * <pre>
 * decisions -> to_send only -> async POST, signed, retried with backoff until its final outcome
 *   (DeliveryFunction) -> outcome (DeliveryOutcomes) -> deliveries, and failed ones -> dead letters
 * </pre>
 *
 * <p>The function retries on its own and completes a trigger only with its final outcome, so the
 * operator's timeout lies above the maximum age, and a bounded run's end of input waits for every
 * pending retry (Flink's own retry strategy would stop retrying there).
 *
 * <p>An erased customer's triggers that still wait for a retry are given up when the erasure
 * reaches the decision stage: no further attempt, no outcome row (metric {@code
 * deliveries_cancelled_erased}). An attempt already on the wire cannot be called back.
 *
 * <p>At-least-once: what is in flight (or waiting for a retry) is part of the async operator's
 * checkpointed state and is sent again after a restore; the {@code webhook-id} (the decision id)
 * lets the endpoint drop the duplicate. A checkpoint never waits for an endpoint: the operator
 * snapshots its queue as it is.
 */
public final class DeliveryStage {
    private DeliveryStage() {}

    public record Outputs(DataStream<DeliveryResult> results, DataStream<DeadLetter> deadLetters) {}

    /**
     * What the decision stage sends beside its decisions when a customer is erased: not a decision
     * (it never reaches a table), the delivery stage's order to give up the customer's triggers.
     */
    public static Decision cancellation(String customerKey) {
        Decision d = new Decision();
        d.customerKey = customerKey;
        d.outcome = CANCELLATION;
        return d;
    }

    static boolean isCancellation(Decision d) {
        return CANCELLATION.equals(d.outcome);
    }

    private static final String CANCELLATION = "cancel_erased";

    /** Delivers {@code decisions}, with no erasures to act on (a bench, a test). */
    public static Outputs build(DataStream<Decision> decisions, DeliverySettings settings) {
        return build(decisions, null, settings);
    }

    /**
     * @param cancellations the decision stage's {@link #cancellation}s, from the same subtasks as
     *     {@code decisions} (forward, so each reaches the subtask that holds the customer's
     *     triggers); null when there are none
     */
    public static Outputs build(
            DataStream<Decision> decisions,
            DataStream<Decision> cancellations,
            DeliverySettings settings) {
        String toSend = Outcome.TO_SEND.code();
        DataStream<Decision> triggers =
                (cancellations == null ? decisions : decisions.union(cancellations))
                        .filter(d -> toSend.equals(d.outcome) || CANCELLATION.equals(d.outcome))
                        .uid(Operators.DELIVERY_FILTER_UID)
                        .name(Operators.DELIVERY_FILTER_NAME);
        DataStream<DeliveryResult> attempts =
                AsyncDataStream.unorderedWait(
                                triggers,
                                new DeliveryFunction(settings.endpoints(), settings.retry()),
                                settings.stageTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                settings.capacity())
                        .uid(Operators.DELIVERY_UID)
                        .name(Operators.DELIVERY_NAME);
        SingleOutputStreamOperator<DeliveryResult> outcomes =
                attempts.process(new DeliveryOutcomes(), TypeInformation.of(DeliveryResult.class))
                        .uid(Operators.DELIVERY_OUTCOMES_UID)
                        .name(Operators.DELIVERY_OUTCOMES_NAME);
        return new Outputs(outcomes, outcomes.getSideOutput(Descriptors.DEAD_LETTERS));
    }
}
