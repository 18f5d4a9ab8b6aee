package io.personalize.job.sources;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.RawRecord;
import io.personalize.job.Operators;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.KafkaSettings;
import io.personalize.job.config.PersonalizeOptions;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Reads records from a Kafka topic with Flink's own {@link KafkaSource}, alone or after history
 * files ({@link HybridSource}: the files to their end, then the topic), so a new deployment starts
 * with its windowed features complete.
 *
 * <pre>{@code
 * KafkaSettings kafka = KafkaSettings.from(conf).requireEventsSource();
 * PipelineInput live = KafkaInputs.of(env, kafka, InputFormat.ENVELOPE);
 * PipelineInput both = KafkaInputs.historyThenKafka(env, Path.of("history/"), kafka, InputFormat.ENVELOPE);
 * }</pre>
 *
 * <p>Event time is assigned after parsing, as for files; offsets are checkpointed by the source and
 * also committed to the consumer group at each checkpoint (for monitoring and {@code committed}
 * starting offsets).
 */
public final class KafkaInputs {
    /** The stable id of the Kafka input (part of operator uids). */
    public static final String INPUT_ID = "kafka";

    /**
     * The stable id of the history-then-Kafka input: its source state differs from a plain Kafka
     * source's, so the two never share a uid.
     */
    public static final String HYBRID_INPUT_ID = "history-then-kafka";

    private KafkaInputs() {}

    public static PipelineInput of(
            StreamExecutionEnvironment env, KafkaSettings kafka, InputFormat format) {
        var records =
                env.fromSource(
                                source(kafka, maxBytes(env)),
                                WatermarkStrategy.noWatermarks(),
                                "Kafka: " + kafka.eventsTopic())
                        .uid(Operators.SOURCE_UID + INPUT_ID);
        return new PipelineInput(INPUT_ID, records, format, kafka.eventsTopic());
    }

    /**
     * @param history a file or directory of records, read to its end before the topic
     */
    public static PipelineInput historyThenKafka(
            StreamExecutionEnvironment env, Path history, KafkaSettings kafka, InputFormat format) {
        return historyThenKafka(env, history, null, kafka, format);
    }

    /**
     * @param history a file or directory of records, read to its end before the topic
     * @param orderedCopy the history's time-ordered copy ({@link EventTimeOrder#prepare}), read
     *     instead of the files; {@code null} to read them as they are
     */
    public static PipelineInput historyThenKafka(
            StreamExecutionEnvironment env,
            Path history,
            Path orderedCopy,
            KafkaSettings kafka,
            InputFormat format) {
        int maxBytes = maxBytes(env);
        HybridSource<RawRecord> source =
                HybridSource.builder(
                                orderedCopy == null
                                        ? FileInputs.source(history, null, maxBytes)
                                        : EventTimeOrder.source(orderedCopy, maxBytes))
                        .addSource(source(kafka, maxBytes))
                        .build();
        var records =
                env.fromSource(
                                source,
                                WatermarkStrategy.noWatermarks(),
                                "History "
                                        + history.getFileName()
                                        + ", then Kafka: "
                                        + kafka.eventsTopic(),
                                // HybridSource's element type is erased
                                TypeInformation.of(RawRecord.class))
                        .uid(Operators.SOURCE_UID + HYBRID_INPUT_ID);
        return new PipelineInput(
                HYBRID_INPUT_ID,
                records,
                format,
                history.getFileName() + "+" + kafka.eventsTopic());
    }

    /** The size limit the intake checks, read from the environment's configuration. */
    private static int maxBytes(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(PersonalizeOptions.MAX_EVENT_BYTES);
    }

    /**
     * The events topic as a source of raw records.
     *
     * @param maxBytes the longest message value decoded whole
     */
    public static KafkaSource<RawRecord> source(KafkaSettings kafka, int maxBytes) {
        kafka.requireEventsSource();
        KafkaSourceBuilder<RawRecord> builder =
                KafkaSource.<RawRecord>builder()
                        // first, so that the explicit settings below win over the free-form ones
                        .setProperties(kafka.properties())
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(kafka.eventsTopic())
                        .setGroupId(kafka.groupId())
                        .setStartingOffsets(startingOffsets(kafka.startingOffsets()))
                        .setDeserializer(new EventRecordDeserializer(maxBytes));
        if (kafka.stopAtLatest()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    @SuppressWarnings("deprecation") // the connector's committedOffsets still takes this enum
    static OffsetsInitializer startingOffsets(KafkaSettings.StartingOffsets start) {
        return switch (start) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }
}
