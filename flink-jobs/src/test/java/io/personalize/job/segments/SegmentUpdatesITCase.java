package io.personalize.job.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sources.FileInputs;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job on a MiniCluster that watches its definitions file: the poller, the broadcast and
 * the two-input customer operator, end to end. A new version reaches customers who send nothing; a
 * broken file becomes a dead letter.
 */
class SegmentUpdatesITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);

    static final Queue<SegmentChange> CHANGES = new ConcurrentLinkedQueue<>();
    static final Queue<DeadLetter> DEAD_LETTERS = new ConcurrentLinkedQueue<>();

    @TempDir Path tmp;

    private static final String V1 =
            """
            version: 1
            segments:
              - id: buyers
                name: Buyers
                rule: lifetime_orders > 0
            """;

    private static final String V2 =
            V1.replace("version: 1", "version: 2")
                    + """
                      - id: big_spenders
                        name: Big Spenders
                        rule: lifetime_revenue >= 50.0
                    """;

    @Test
    void aWatchedFileIsAppliedToSilentCustomersAndABrokenOneIsRefused() throws Exception {
        CHANGES.clear();
        DEAD_LETTERS.clear();
        Path definitions = tmp.resolve("segments.yaml");
        Files.writeString(definitions, V1);
        Path input = tmp.resolve("events.jsonl");
        Files.write(
                input,
                List.of(
                        EnvelopeLines.order("e1", "c1", EnvelopeLines.T0, "o1", 100.0),
                        EnvelopeLines.order(
                                "e2",
                                "c2",
                                EnvelopeLines.T0.plus(EnvelopeLines.HOUR),
                                "o2",
                                80.0)));
        Configuration conf =
                ConfigLoader.withJobDefaults(
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.segments.definitions=" + definitions,
                                        "personalize.segments.watch=true",
                                        "personalize.segments.poll-interval=200 ms",
                                        "personalize.restart.attempts=0",
                                        "parallelism.default=2")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new CollectingSinks(),
                settings);
        JobClient job = env.executeAsync("segment updates");
        try {
            await(() -> changes("buyers", 1) == 2);

            Files.writeString(definitions, V2);
            await(() -> changes("big_spenders", 2) == 2);

            Files.writeString(
                    definitions,
                    V2.replace("version: 2", "version: 3")
                            .replace("lifetime_revenue", "lifetime_revenu"));
            await(() -> !DEAD_LETTERS.isEmpty());
        } finally {
            job.cancel().get();
        }

        assertThat(DEAD_LETTERS)
                .allSatisfy(
                        d -> {
                            assertThat(d.stage).isEqualTo("segments");
                            assertThat(d.reason).isEqualTo("invalid_segment_rules");
                            assertThat(d.message).contains("big_spenders", "lifetime_revenu");
                        });
        assertThat(CHANGES)
                .as("every change decided by version 1 or 2, none by the refused one")
                .allMatch(c -> c.ruleVersion == 1 || c.ruleVersion == 2);
    }

    private static long changes(String segment, long version) {
        return CHANGES.stream()
                .filter(c -> c.segmentId.equals(segment) && c.ruleVersion == version)
                .filter(c -> c.change.equals(SegmentChange.ENTERED))
                .count();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out; changes " + CHANGES + ", dead letters " + DEAD_LETTERS.size());
            }
            Thread.sleep(100);
        }
    }

    /** Segment changes and dead letters into the static queues; the rest discarded. */
    private static final class CollectingSinks implements PipelineSinks {
        @Override
        public void events(DataStream<Event> events) {
            events.sinkTo(new DiscardingSink<>());
        }

        @Override
        public void customerFeatures(DataStream<CustomerFeatures> changes) {
            changes.sinkTo(new DiscardingSink<>());
        }

        @Override
        public void segmentChanges(DataStream<SegmentChange> changes) {
            changes.sinkTo(new ToQueue<>(true));
        }

        @Override
        public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
            abandonments.sinkTo(new DiscardingSink<>());
        }

        @Override
        public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
            abandonments.sinkTo(new DiscardingSink<>());
        }

        @Override
        public void scores(DataStream<CustomerScore> scores) {
            scores.sinkTo(new DiscardingSink<>());
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new ToQueue<>(false));
        }
    }

    /** Adds each record to {@link #CHANGES} or {@link #DEAD_LETTERS}. */
    private record ToQueue<T>(boolean changes) implements Sink<T>, Serializable {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                @SuppressWarnings("unchecked")
                public void write(T element, Context context) {
                    if (changes) {
                        CHANGES.add((SegmentChange) element);
                    } else {
                        DEAD_LETTERS.add((DeadLetter) element);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
