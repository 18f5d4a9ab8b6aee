package io.personalize.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionJson;
import io.personalize.core.events.RawRecord;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.KafkaSettings;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sinks.KafkaDecisionSink;
import io.personalize.job.testing.FailOnceAfterCheckpoint;
import io.personalize.job.testing.KafkaBroker;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real Kafka broker: envelope lines produced to the events topic are read by the Kafka
 * input, and every decision the job makes arrives on the decisions topic exactly once, keyed by
 * customer, as JSON, although the job fails once part-way (after a checkpoint, with decisions
 * written since) and restarts from that checkpoint.
 */
class KafkaITCase {
    private static final int EVENTS = 8_000;
    private static final String EVENTS_TOPIC = "events";
    private static final String DECISIONS_TOPIC = "decisions";

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir Path tmp;

    @Test
    void everyDecisionOfAKafkaRunReachesTheDecisionsTopicExactlyOnceKeyedByCustomer()
            throws Exception {
        Path generated = tmp.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(7)).writeTo(generated, EVENTS);
        KAFKA.createTopic(EVENTS_TOPIC, 1);
        KAFKA.createTopic(DECISIONS_TOPIC, 2);
        KAFKA.produce(EVENTS_TOPIC, Files.readAllLines(generated), line -> null);
        Configuration conf =
                TestConfig.of(
                        "personalize.restart.attempts=1",
                        "personalize.restart.delay=100 ms",
                        "personalize.checkpoint.interval=1 s",
                        "parallelism.default=2",
                        "personalize.input.source=kafka",
                        "personalize.kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                        "personalize.kafka.events-topic=" + EVENTS_TOPIC,
                        "personalize.kafka.group-id=kafka-itcase",
                        "personalize.kafka.starting-offsets=earliest",
                        "personalize.kafka.decisions-topic=" + DECISIONS_TOPIC,
                        "personalize.kafka.delivery-guarantee=exactly-once",
                        "personalize.kafka.transactional-id-prefix=kafka-itcase");
        KafkaSettings kafka = KafkaSettings.from(conf).withStopAtLatest();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        Queue<Decision> collected = ToQueue.fresh("kafka-decisions");

        PipelineInput kafkaInput = KafkaInputs.of(env, kafka, InputFormat.ENVELOPE);
        // Fails once, half-way through the events, at most a checkpoint interval after the last
        // checkpoint: the decisions made since are replayed after the restart.
        DataStream<RawRecord> failingOnce =
                kafkaInput
                        .records()
                        .map(new FailOnceAfterCheckpoint<RawRecord>("kafka", EVENTS / 2, 2))
                        .returns(RawRecord.class)
                        .uid("inject-failure")
                        .name("Inject one failure");
        PersonalizationPipeline.Streams streams =
                PersonalizationPipeline.build(
                        List.of(
                                new PipelineInput(
                                        kafkaInput.id(),
                                        failingOnce,
                                        kafkaInput.format(),
                                        kafkaInput.sourceName())),
                        new DiscardingSinks() {
                            @Override
                            public void decisions(DataStream<Decision> made) {
                                made.sinkTo(new ToQueue<>("kafka-decisions"));
                            }
                        },
                        settings);
        KafkaDecisionSink.attach(streams.live().orElseThrow().decisions(), kafka);
        env.execute("kafka in, kafka out");
        // the collecting sink is at least once: decisions made after the checkpoint are twice in it
        List<Decision> decided = new ArrayList<>(collected);
        ToQueue.drop("kafka-decisions");
        assertThat(FailOnceAfterCheckpoint.failed("kafka")).isTrue();
        assertThat(FailOnceAfterCheckpoint.checkpointsBeforeFailure("kafka")).isPositive();

        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readCommitted(DECISIONS_TOPIC, Duration.ofSeconds(5));

        assertThat(decided).extracting(d -> d.outcome).contains("to_send", "suppressed");
        List<String> published = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decision d = DecisionJson.read(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(d.customerKey);
            assertThat(record.timestamp()).isEqualTo(d.decidedAt);
            published.add(identity(d));
        }
        assertThat(published)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        decided.stream().map(KafkaITCase::identity).distinct().toList());
    }

    /** What tells the records of one decision apart (one per outcome recorded). */
    private static String identity(Decision d) {
        return d.decisionId + " " + d.outcome + " " + d.decidedAt + " " + d.flowId;
    }
}
