package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bench command runs every pipeline, the paced one with decisions probed, and prints the lines
 * scripts parse.
 */
class BenchRunnerITCase {
    @Test
    void printsOneLinePerPipelineAndTheRatio() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new BenchRunner(
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        ConfigLoader.load(null, Map.of(), List.of("parallelism.default=2")))
                .run(5_000, 0);

        String output = printed.toString(StandardCharsets.UTF_8);
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
                        "(?m)^pipeline=paced events=5000 rate=[1-9][0-9]* seconds=[0-9.]+"
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
}
