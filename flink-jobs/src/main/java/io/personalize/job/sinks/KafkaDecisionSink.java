package io.personalize.job.sinks;

import io.personalize.core.decisions.Decision;
import io.personalize.job.Operators;
import io.personalize.job.config.KafkaSettings;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes every decision outcome (the rows of the {@code decisions} table: to_send, suppressed,
 * deferred, expired, held_out, replayed) to a Kafka topic with Flink's own {@link KafkaSink}, for
 * the services that act on them. At-least-once flushes at each checkpoint; exactly-once writes in
 * Kafka transactions committed at each checkpoint (readers use {@code
 * isolation.level=read_committed}; the brokers' {@code transaction.max.timeout.ms} must allow the
 * producer's {@code transaction.timeout.ms}: the connector's 1 h unless the client properties set
 * it).
 *
 * <pre>{@code
 * Streams streams = PersonalizationPipeline.build(inputs, sinks, settings);
 * KafkaDecisionSink.attach(streams.live().orElseThrow().decisions(), kafka);
 * }</pre>
 */
public final class KafkaDecisionSink {
    private KafkaDecisionSink() {}

    public static void attach(DataStream<Decision> decisions, KafkaSettings kafka) {
        decisions
                .sinkTo(sink(kafka))
                .uid(Operators.KAFKA_DECISIONS_SINK_UID)
                .name(Operators.KAFKA_DECISIONS_SINK_NAME + ": " + kafka.decisionsTopic());
    }

    public static KafkaSink<Decision> sink(KafkaSettings kafka) {
        kafka.requireDecisionsSink();
        KafkaSinkBuilder<Decision> builder =
                KafkaSink.<Decision>builder()
                        // first, so that the explicit settings below win over the free-form ones
                        .setKafkaProducerConfig(kafka.properties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setRecordSerializer(new DecisionRecordSerializer(kafka.decisionsTopic()))
                        .setDeliveryGuarantee(kafka.deliveryGuarantee());
        if (kafka.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(kafka.transactionalIdPrefix());
        }
        return builder.build();
    }
}
