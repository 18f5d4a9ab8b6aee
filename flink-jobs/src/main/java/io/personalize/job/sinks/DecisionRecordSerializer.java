package io.personalize.job.sinks;

import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One decision as one Kafka record: key the customer key (UTF-8), so a customer's decisions keep
 * their order in one partition; value the decision as JSON ({@link DecisionJson}); timestamp the
 * decision's event time.
 */
public class DecisionRecordSerializer implements KafkaRecordSerializationSchema<Decision> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DecisionRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Decision decision, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                decision.decidedAt,
                decision.customerKey.getBytes(StandardCharsets.UTF_8),
                DecisionJson.writeBytes(decision));
    }
}
