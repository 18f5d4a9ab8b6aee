package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench command runs both pipelines and prints the lines scripts parse. */
class BenchRunnerITCase {
    @Test
    void printsOneLinePerPipelineAndTheRatio() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new BenchRunner(
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        ConfigLoader.load(null, Map.of(), List.of("parallelism.default=2")))
                .run(5_000);

        String output = printed.toString(StandardCharsets.UTF_8);
        String measured =
                "events=5000 seconds=[0-9.]+ events_per_sec=[0-9]+ latency_p50_ms=[0-9]+ latency_p99_ms=[0-9]+";
        assertThat(output)
                .containsPattern("(?m)^pipeline=bare " + measured + "$")
                .containsPattern("(?m)^pipeline=full_discarding " + measured + "$")
                .containsPattern("(?m)^pipeline=full " + measured + "$")
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
