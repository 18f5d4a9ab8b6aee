package io.personalize.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.scoring.CustomerScore;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job on a MiniCluster with a watched model registry: the poller, the broadcast and the
 * scoring operator, end to end. A new champion and a challenger serve from the next features on; a
 * broken version is refused as a dead letter while the previous one keeps scoring.
 */
class ModelSwapITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PARALLELISM = 2;

    private Queue<CustomerScore> scores;
    private Queue<DeadLetter> deadLetters;

    @TempDir Path tmp;

    @Test
    void aWatchedRegistrySwapsTheChampionAddsAShadowAndRefusesABrokenModel() throws Exception {
        scores = ToQueue.fresh("model-swap-scores");
        deadLetters = ToQueue.fresh("model-swap-dead-letters");
        Path models = tmp.resolve("models");
        Path registry =
                LogisticModels.registry(
                        models,
                        release(
                                LogisticModels.write(
                                        models, "propensity", "1", LogisticModels.V1, false),
                                null));
        Path input = Files.createDirectories(tmp.resolve("input"));
        drop(input, "1", EnvelopeLines.order("e1", "c1", EnvelopeLines.T0, "o1", 100.0));
        Configuration conf =
                TestConfig.of(
                        "personalize.models.registry=" + registry,
                        "personalize.models.watch=true",
                        "personalize.models.poll-interval=200 ms",
                        "personalize.restart.attempts=0",
                        "parallelism.default=" + PARALLELISM);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, Duration.ofMillis(200))),
                new CollectingSinks(),
                settings);
        JobClient job = env.executeAsync("model swap");
        try {
            await(() -> scored("c1", "1", CustomerScore.CHAMPION));

            // version 2 as champion, the first version as a challenger
            LogisticModels.registry(
                    models,
                    release(
                            LogisticModels.write(
                                    models, "propensity", "2", LogisticModels.V2, false),
                            "propensity/1/model.onnx"));
            awaitChampionOnEverySubtask(input, "2");
            drop(
                    input,
                    "2",
                    EnvelopeLines.order(
                            "e2", "c2", EnvelopeLines.T0.plus(EnvelopeLines.HOUR), "o2", 50.0));
            await(
                    () ->
                            scored("c2", "2", CustomerScore.CHAMPION)
                                    && scored("c2", "1", CustomerScore.SHADOW));

            // version 3 fails its golden example: refused, version 2 keeps serving
            LogisticModels.registry(
                    models,
                    release(
                            LogisticModels.write(
                                    models, "propensity", "3", LogisticModels.V1, true),
                            null));
            await(() -> !deadLetters.isEmpty());
            drop(
                    input,
                    "3",
                    EnvelopeLines.order(
                            "e3", "c3", EnvelopeLines.T0.plus(EnvelopeLines.DAY), "o3", 20.0));
            await(() -> scored("c3", "2", CustomerScore.CHAMPION));
        } finally {
            job.cancel().get();
        }

        assertThat(deadLetters)
                .allSatisfy(
                        d -> {
                            assertThat(d.stage).isEqualTo("scoring");
                            assertThat(d.reason).isEqualTo("invalid_model");
                            assertThat(d.message).contains("propensity 3", "golden example 1");
                        });
        assertThat(scores).noneMatch(s -> s.version.equals("3"));
        assertThat(scores).noneMatch(s -> s.fallback);
        CustomerScore c2 =
                scores.stream()
                        .filter(s -> s.customerKey.equals("c:c2") && s.champion())
                        .reduce((a, b) -> b)
                        .orElseThrow();
        // one order of 50.0 the same day: orders_30d 1, engagement 0, 0 days since
        assertThat(c2.score).isCloseTo(LogisticModels.V2.score(1, 0, 0.0), within(1e-6));
    }

    private static String release(String champion, String challenger) {
        return "models:\n  propensity:\n    champion: {path: "
                + champion
                + ", version: \""
                + champion.split("/")[1]
                + "\"}\n"
                + (challenger == null
                        ? ""
                        : "    challenger: {path: "
                                + challenger
                                + ", version: \""
                                + challenger.split("/")[1]
                                + "\"}\n");
    }

    /** Writes a file the monitored source picks up whole (hidden until renamed). */
    private static void drop(Path dir, String name, String line) throws Exception {
        Path hidden = dir.resolve("." + name);
        Files.writeString(hidden, line + "\n");
        Files.move(hidden, dir.resolve(name + ".jsonl"), StandardCopyOption.ATOMIC_MOVE);
    }

    private boolean scored(String customer, String version, String role) {
        return scores.stream()
                .anyMatch(
                        s ->
                                s.customerKey.equals("c:" + customer)
                                        && s.version.equals(version)
                                        && s.role.equals(role));
    }

    /**
     * Waits until the registry's new champion serves on every scoring subtask: a round of orders
     * for new probe customers, one keyed to each subtask, until a round is scored by {@code
     * version}. Probes are other customers, so the customers under test keep their one order each.
     */
    private void awaitChampionOnEverySubtask(Path input, String version) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int round = 1; System.nanoTime() < deadline; round++) {
            List<String> probes = oneCustomerPerSubtask("probe" + round + "-");
            StringBuilder orders = new StringBuilder();
            for (String probe : probes) {
                orders.append(
                                EnvelopeLines.order(
                                        "e-" + probe,
                                        probe,
                                        EnvelopeLines.T0.plus(EnvelopeLines.MINUTE),
                                        "o-" + probe,
                                        10.0))
                        .append('\n');
            }
            drop(input, "probe-" + round, orders.toString().strip());
            await(() -> probes.stream().allMatch(p -> scored(p, CustomerScore.CHAMPION)));
            if (probes.stream().allMatch(p -> scored(p, version, CustomerScore.CHAMPION))) {
                return;
            }
        }
        throw new AssertionError("version " + version + " never served everywhere: " + scores);
    }

    /** Customer ids, one whose key lands on each of the scoring operator's subtasks. */
    private static List<String> oneCustomerPerSubtask(String prefix) {
        int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM);
        String[] probes = new String[PARALLELISM];
        for (int i = 0; Arrays.asList(probes).contains(null); i++) {
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            "c:" + prefix + i, maxParallelism, PARALLELISM);
            if (probes[subtask] == null) {
                probes[subtask] = prefix + i;
            }
        }
        return List.of(probes);
    }

    private boolean scored(String customer, String role) {
        return scores.stream()
                .anyMatch(s -> s.customerKey.equals("c:" + customer) && s.role.equals(role));
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(WAIT, condition, () -> "scores " + scores + ", dead letters " + deadLetters);
    }

    /** Scores and dead letters into the queues; the rest discarded. */
    private static final class CollectingSinks extends DiscardingSinks {
        @Override
        public void scores(DataStream<CustomerScore> scores) {
            scores.sinkTo(new ToQueue<>("model-swap-scores"));
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            deadLetters.sinkTo(new ToQueue<>("model-swap-dead-letters"));
        }
    }
}
