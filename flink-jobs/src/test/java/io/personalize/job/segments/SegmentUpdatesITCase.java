package io.personalize.job.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.Await;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job on a MiniCluster that watches its definitions file: the poller, the broadcast and
 * the two-input customer operator, end to end. A new version reaches customers who send nothing; a
 * broken file becomes a dead letter.
 */
class SegmentUpdatesITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Queue<SegmentChange> changes;
    private Queue<DeadLetter> deadLetters;

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
        changes = ToQueue.fresh("segment-updates-changes");
        deadLetters = ToQueue.fresh("segment-updates-dead-letters");
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
                TestConfig.of(
                        "personalize.segments.definitions=" + definitions,
                        "personalize.segments.watch=true",
                        "personalize.segments.poll-interval=200 ms",
                        // the bundled flows name segments this file lacks
                        "personalize.flows.definitions=" + flows(),
                        "personalize.restart.attempts=0",
                        "parallelism.default=2");
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
            await(() -> !deadLetters.isEmpty());
        } finally {
            job.cancel().get();
        }

        assertThat(deadLetters)
                .allSatisfy(
                        d -> {
                            assertThat(d.stage).isEqualTo("segments");
                            assertThat(d.reason).isEqualTo("invalid_segment_rules");
                            assertThat(d.message).contains("big_spenders", "lifetime_revenu");
                        });
        assertThat(changes)
                .as("every change decided by version 1 or 2, none by the refused one")
                .allMatch(c -> c.ruleVersion == 1 || c.ruleVersion == 2);
    }

    private Path flows() throws Exception {
        Path flows = tmp.resolve("flows.yaml");
        Files.writeString(
                flows,
                """
                version: 1
                flows:
                  - id: welcome_buyer
                    trigger: {segment_entered: buyers}
                    endpoint: esp
                    template: tpl_welcome
                """);
        return flows;
    }

    private long changes(String segment, long version) {
        return changes.stream()
                .filter(c -> c.segmentId.equals(segment) && c.ruleVersion == version)
                .filter(c -> c.change.equals(SegmentChange.ENTERED))
                .count();
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(
                WAIT,
                condition,
                () -> "changes " + changes + ", dead letters " + deadLetters.size());
    }

    /** Segment changes and dead letters into the queues; the rest discarded. */
    private static final class CollectingSinks extends DiscardingSinks {
        @Override
        public void segmentChanges(DataStream<SegmentChange> changes) {
            changes.sinkTo(new ToQueue<>("segment-updates-changes"));
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new ToQueue<>("segment-updates-dead-letters"));
        }
    }
}
