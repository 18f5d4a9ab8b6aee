package io.personalize.job.sources;

import io.personalize.core.events.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka message's value as the raw record the intake reads, the same record a line of an input
 * file gives: decoded strictly as UTF-8, or only a prefix when longer than {@code maxBytes}, with
 * the position {@code topic/partition@offset}. A message without a value (a tombstone) becomes an
 * empty record, which the parser sends to dead letters: nothing is dropped silently, and nothing
 * throws here.
 */
public class EventRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    private final int maxBytes;

    public EventRecordDeserializer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        out.collect(
                RawRecord.fromBytes(
                        value,
                        0,
                        value.length,
                        maxBytes,
                        record.topic() + "/" + record.partition() + "@" + record.offset()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
