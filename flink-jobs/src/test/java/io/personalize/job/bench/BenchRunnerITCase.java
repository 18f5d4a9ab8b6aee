package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.job.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bench command runs every pipeline, the paced one with decisions probed, and prints the lines
 * scripts parse: each pipeline's CPU by task adds up to its process CPU; the live run measures
 * decision latency and trigger lateness.
 */
class BenchRunnerITCase {
    private static final Pattern PIPELINE =
            Pattern.compile("(?m)^pipeline=(\\w+) .*?cpu_us_per_event=([0-9.]+)");
    private static final Pattern STAGE_CPU =
            Pattern.compile(
                    "(?m)^stage_cpu pipeline=(\\w+) task=\"([^\"]+)\" cpu_us_per_event=(-?[0-9.]+)"
                            + " share=(-?[0-9.]+)$");

    @Test
    void printsOneLinePerPipelineAndTheRatio() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new BenchRunner(
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        ConfigLoader.load(null, Map.of(), List.of("parallelism.default=2")))
                .run(5_000, 0);

        String output = printed.toString(StandardCharsets.UTF_8);
        assertCpuAddsUp(output, List.of("bare", "full_discarding", "full", "paced_compressed"));
        // The bare pipeline on 5,000 events ends within one sampling interval: its threads end
        // before their CPU is sampled and it is all "other".
        assertCpuByTask(output, List.of("full_discarding", "full", "paced_compressed"));
        assertThat(output)
                .containsPattern(
                        "(?m)^stage_cpu pipeline=full task=\"De-duplicate by event_id -> \\.\\.\\.\""
                                + " cpu_us_per_event=[0-9.]+ share=0\\.[0-9]{3}$")
                .containsPattern(
                        "(?m)^# stage_cpu pipeline=full task=\"De-duplicate by event_id -> \\.\\.\\.\""
                                + " chain=\"De-duplicate by event_id -> .*Customer features and"
                                + " segments.*\"$");
        String measured =
                "events=5000 seconds=[0-9.]+ events_per_sec=[0-9]+ cpu_us_per_event=[0-9.]+"
                        + " latency_p50_ms=[0-9]+ latency_p99_ms=[0-9]+";
        assertThat(output)
                .containsPattern("(?m)^pipeline=bare " + measured + "$")
                .containsPattern("(?m)^pipeline=full_discarding " + measured + "$")
                .containsPattern(
                        "(?m)^pipeline=full "
                                + measured
                                + " rows_per_event=[0-9.]+ data_files=[1-9][0-9]* commits=[1-9][0-9]*"
                                + " data_files_per_commit_mean=[0-9.]+"
                                + " data_files_per_commit_max=[1-9][0-9]*$")
                .containsPattern(
                        "(?m)^pipeline=paced_compressed events=5000 rate=[1-9][0-9]* seconds=[0-9.]+"
                                + " cpu_us_per_event=[0-9.]+ decisions_probed=[1-9][0-9]*"
                                + " decision_latency_p50_ms=[0-9]+ decision_latency_p99_ms=[0-9]+$")
                .containsPattern("(?m)^ratio_full_to_bare=[0-9]+\\.[0-9]{2}$")
                .containsPattern(
                        "(?m)^stage=onnx model=purchase_propensity version=1 batch=1 rows=[0-9]+"
                                + " us_per_row=[0-9.]+$")
                .containsPattern(
                        "(?m)^stage=onnx model=purchase_propensity version=1 batch=256 rows=[0-9]+"
                                + " us_per_row=[0-9.]+$")
                .containsPattern(
                        "(?m)^stage=onnx model=churn_risk version=1"
                                + " batched_vs_single_max_abs_diff=0$")
                .containsPattern("(?m)^stage=scoring models=5 batch=256 customers=[0-9]+")
                .containsPattern(
                        "(?m)^stage=delivery requests=200 delivered=200 seconds=[0-9.]+"
                                + " requests_per_sec=[0-9]+ request_p50_ms=[0-9]+"
                                + " request_p99_ms=[0-9]+$");
    }

    @Test
    void liveRunMeasuresDecisionLatencyAndTriggerLateness() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new BenchRunner(
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "parallelism.default=2",
                                        "personalize.carts.abandon-after=300 ms",
                                        "personalize.carts.remind-after=600 ms",
                                        "personalize.carts.browse.quiet-period=500 ms",
                                        "personalize.watermark.out-of-orderness=200 ms")))
                .runLive(5_000, 1_000);

        String output = printed.toString(StandardCharsets.UTF_8);
        Matcher live =
                Pattern.compile(
                                "(?m)^pipeline=live events=5000 rate=1000 seconds=[0-9.]+"
                                        + " cpu_us_per_event=[0-9.]+ decisions_probed=([0-9]+)"
                                        + " decision_latency_p50_ms=([0-9]+)"
                                        + " decision_latency_p99_ms=([0-9]+)"
                                        + " triggers_probed=([0-9]+)"
                                        + " trigger_lateness_p50_ms=(-?[0-9]+)"
                                        + " trigger_lateness_p99_ms=(-?[0-9]+)"
                                        + " abandon_after_ms=300 remind_after_ms=600"
                                        + " browse_quiet_period_ms=500 out_of_orderness_ms=200"
                                        + " trigger_wait_ms=1200$")
                        .matcher(output);
        assertThat(live.find()).as(output).isTrue();
        assertThat(Long.parseLong(live.group(1))).as("decisions probed").isPositive();
        long decisionP50 = Long.parseLong(live.group(2));
        assertThat(decisionP50).isPositive();
        assertThat(Long.parseLong(live.group(3))).isGreaterThanOrEqualTo(decisionP50);
        assertThat(Long.parseLong(live.group(4))).as("triggers probed").isPositive();
        long latenessP50 = Long.parseLong(live.group(5));
        // Released when the watermark passes the designed time plus the trigger wait.
        assertThat(latenessP50).isGreaterThanOrEqualTo(1200);
        assertThat(Long.parseLong(live.group(6))).isGreaterThanOrEqualTo(latenessP50);
        assertCpuAddsUp(output, List.of("live"));
        assertCpuByTask(output, List.of("live"));
    }

    /**
     * Each pipeline's {@code stage_cpu} lines, one per task and one per kind of work, add up to the
     * pipeline line's process CPU per event (each rounded to 0.1 µs) and their shares to 1.
     */
    private static void assertCpuAddsUp(String output, List<String> pipelines) {
        Map<String, Double> processCpu = new HashMap<>();
        Matcher line = PIPELINE.matcher(output);
        while (line.find()) {
            processCpu.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        for (String pipeline : pipelines) {
            double cpu = 0;
            double shares = 0;
            int lines = 0;
            Matcher stage = STAGE_CPU.matcher(output);
            while (stage.find()) {
                if (stage.group(1).equals(pipeline)) {
                    lines++;
                    cpu += Double.parseDouble(stage.group(3));
                    shares += Double.parseDouble(stage.group(4));
                }
            }
            assertThat(processCpu).as(output).containsKey(pipeline);
            assertThat(lines).as(pipeline).isGreaterThanOrEqualTo(ThreadLabels.CATEGORIES.size());
            assertThat(cpu)
                    .as(pipeline)
                    .isCloseTo(processCpu.get(pipeline), within(0.05 * lines + 0.1));
            assertThat(shares).as(pipeline).isCloseTo(1.0, within(0.0005 * lines + 0.001));
        }
    }

    /**
     * The sampled threads explain each pipeline's CPU: its tasks have lines, every kind of work has
     * one, and "other" (what the samples do not explain) is a small part.
     */
    private static void assertCpuByTask(String output, List<String> pipelines) {
        for (String pipeline : pipelines) {
            Map<String, Double> shares = new HashMap<>();
            Matcher stage = STAGE_CPU.matcher(output);
            while (stage.find()) {
                if (stage.group(1).equals(pipeline)) {
                    shares.put(stage.group(2), Double.parseDouble(stage.group(4)));
                }
            }
            assertThat(shares.keySet().stream().filter(l -> !ThreadLabels.CATEGORIES.contains(l)))
                    .as(pipeline + " tasks in\n" + output)
                    .hasSizeGreaterThanOrEqualTo(3);
            assertThat(shares)
                    .as(pipeline)
                    .containsKeys(ThreadLabels.CATEGORIES.toArray(String[]::new));
            assertThat(shares.get(ThreadLabels.OTHER))
                    .as(pipeline + " other")
                    .isBetween(-0.05, 0.25);
            if (Files.isDirectory(Path.of("/proc/self/task"))) {
                assertThat(shares.get(ThreadLabels.JIT)).as(pipeline + " jit").isPositive();
            }
        }
    }
}
