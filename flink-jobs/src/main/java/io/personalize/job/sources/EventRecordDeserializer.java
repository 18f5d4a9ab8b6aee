package io.personalize.job.sources;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka message's value as the raw text record the parser reads (UTF-8), the same record a line
 * of an input file gives. A message without a value (a tombstone) becomes an empty record, which
 * the parser sends to dead letters: nothing is dropped silently, and nothing throws here.
 */
public class EventRecordDeserializer implements KafkaRecordDeserializationSchema<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        byte[] value = record.value();
        out.collect(value == null ? "" : new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
