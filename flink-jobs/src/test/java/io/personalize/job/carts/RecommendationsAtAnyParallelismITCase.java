package io.personalize.job.carts;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.recommend.Recommendation;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommender runs at the job's parallelism and recommends the same whatever it is: the whole
 * job on one generated history at parallelism 1, 2 and 3 (checkpoints every second) gives every
 * abandoned cart, due reminder and browse abandonment the same recommendations, scores to the bit,
 * and passes every other lifecycle change once. Without a catalog, so that categories come from the
 * model (the second round asks for them), and with few neighbours per product and 25 products per
 * cart (a category has 25), so that rows are trimmed and the trending and popular fallbacks are
 * used.
 */
class RecommendationsAtAnyParallelismITCase {
    private static final int EVENTS = 20_000;

    @TempDir Path tmp;

    @Test
    void everyAbandonmentGetsTheSameRecommendationsAtParallelismOneTwoAndThree() throws Exception {
        Path input = tmp.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(13)).writeTo(input, EVENTS);

        Map<String, List<Recommendation>> one = run(input, 1);
        Map<String, List<Recommendation>> two = run(input, 2);
        Map<String, List<Recommendation>> three = run(input, 3);

        Map<String, Long> bySource =
                one.values().stream()
                        .flatMap(List::stream)
                        .collect(Collectors.groupingBy(r -> r.source, Collectors.counting()));
        assertThat(one.keySet().stream().filter(k -> k.contains("/abandoned/")))
                .as("abandonments to compare")
                .hasSizeGreaterThan(200);
        assertThat(one.keySet().stream().filter(k -> k.startsWith("browse/")))
                .as("browse abandonments to compare")
                .hasSizeGreaterThan(50);
        assertThat(bySource)
                .as("recommendations by source")
                .containsKeys(
                        Recommendation.CO_OCCURRENCE,
                        Recommendation.TRENDING_CATEGORY,
                        Recommendation.POPULAR);
        assertThat(two).as("parallelism 2 against 1").isEqualTo(one);
        assertThat(three).as("parallelism 3 against 1").isEqualTo(one);
    }

    /**
     * Every lifecycle change's and browse abandonment's recommendations by request id; fails on one
     * seen twice.
     */
    private Map<String, List<Recommendation>> run(Path input, int parallelism) throws Exception {
        String queue = "recommendations-at-parallelism-" + parallelism;
        var received = ToQueue.<CartAbandonment>fresh(queue);
        var browsed = ToQueue.<BrowseAbandonment>fresh(queue + "-browse");
        Configuration conf =
                TestConfig.of(
                        "parallelism.default=" + parallelism,
                        "personalize.restart.attempts=0",
                        "personalize.checkpoint.interval=1 s",
                        "personalize.recommendations.count=25",
                        "personalize.recommendations.max-neighbours=4");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new DiscardingSinks() {
                    @Override
                    public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
                        abandonments.sinkTo(new ToQueue<>(queue));
                    }

                    @Override
                    public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
                        abandonments.sinkTo(new ToQueue<>(queue + "-browse"));
                    }
                },
                settings);
        env.execute("recommendations at parallelism " + parallelism);
        List<CartAbandonment> changes = new ArrayList<>(received);
        List<BrowseAbandonment> browses = new ArrayList<>(browsed);
        ToQueue.drop(queue);
        ToQueue.drop(queue + "-browse");
        Map<String, List<Recommendation>> byChange = new TreeMap<>();
        for (CartAbandonment change : changes) {
            List<Recommendation> previous =
                    byChange.put(SeedRequests.requestId(change), change.recommendations);
            assertThat(previous).as("%s seen twice", change).isNull();
            if (SeedRequests.recommended(change)) {
                assertThat(change.recommendations).as("%s", change).isNotEmpty();
            } else {
                assertThat(change.recommendations).as("%s", change).isEmpty();
            }
        }
        for (BrowseAbandonment browse : browses) {
            List<Recommendation> previous =
                    byChange.put(SeedRequests.requestId(browse), browse.recommendations);
            assertThat(previous).as("%s seen twice", browse).isNull();
            assertThat(browse.recommendations)
                    .as("%s", browse)
                    .isNotEmpty()
                    .extracting(r -> r.productId)
                    .doesNotContain(browse.productId);
        }
        return byChange;
    }
}
