package io.personalize.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.decisions.Decision;
import io.personalize.core.segments.SegmentChange;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster with a score segment: the customer stage evaluates the base
 * segment, the scoring stage the score segment, whose change reaches the segment_changes sink (with
 * the customer stage's changes) and triggers a flow; at parallelism 1 and 2 alike.
 */
class ScoreSegmentsITCase {
    private static final String SEGMENTS =
            """
            version: 2
            segments:
              - id: buyers
                name: Buyers this month
                rule: "orders_30d >= 1"
              - id: likely_buyers
                name: Likely to buy again
                rule: "in_segment('buyers') && score('propensity') > 0.7"
            """;

    private static final String FLOWS =
            """
            version: 1
            flows:
              - id: likely_buyer_offer
                trigger: {segment_entered: likely_buyers}
                endpoint: esp
                template: tpl_offer
            """;

    @TempDir Path tmp;

    /** Without email events engagement_score is 0: c1's score passes 0.7 at its 4th order. */
    @Test
    void aCustomerEntersTheScoreSegmentAtTheOrderThatLiftsTheScoreAndItsFlowDecides()
            throws Exception {
        Instant[] orders = new Instant[4];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = EnvelopeLines.T0.plus(EnvelopeLines.HOUR.multipliedBy(i + 1));
        }
        List<Double> scores = new ArrayList<>();
        for (int n = 1; n <= orders.length; n++) {
            scores.add(LogisticModels.V1.score(n, 0.0, 0.0));
        }
        assertThat(scores.subList(0, 3)).allSatisfy(s -> assertThat(s).isLessThan(0.7));
        assertThat(scores.get(3)).isGreaterThan(0.7);

        List<String> lines = new ArrayList<>();
        for (int i = 0; i < orders.length; i++) {
            lines.add(EnvelopeLines.order("e" + i, "c1", orders[i], "o" + i, 20.0));
        }
        lines.add(EnvelopeLines.order("e9", "c2", orders[0], "o9", 20.0));
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines);

        Run one = run("p1", input, 1);
        Run two = run("p2", input, 2);

        List<SegmentChange> scored =
                one.changes.stream().filter(c -> c.segmentId.equals("likely_buyers")).toList();
        assertThat(scored).hasSize(1);
        assertThat(scored.get(0).customerKey).endsWith("c1");
        assertThat(scored.get(0).change).isEqualTo(SegmentChange.ENTERED);
        assertThat(scored.get(0).eventTime).isEqualTo(orders[3].toEpochMilli());
        assertThat(scored.get(0).ruleVersion).isEqualTo(2);
        assertThat(one.changes)
                .filteredOn(c -> c.segmentId.equals("buyers"))
                .extracting(c -> c.customerKey.substring(c.customerKey.length() - 2))
                .containsExactlyInAnyOrder("c1", "c2");

        assertThat(one.decisions)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.flowId).isEqualTo("likely_buyer_offer");
                            assertThat(d.customerKey).endsWith("c1");
                            assertThat(d.triggerName).isEqualTo("likely_buyers");
                        });

        assertThat(two.changes)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("processedAt")
                .containsExactlyInAnyOrderElementsOf(one.changes);
        assertThat(two.decisions)
                .usingRecursiveFieldByFieldElementComparatorOnFields(
                        "decisionId", "customerKey", "flowId", "outcome", "triggerName")
                .containsExactlyInAnyOrderElementsOf(one.decisions);
    }

    private record Run(List<SegmentChange> changes, List<Decision> decisions) {}

    private Run run(String name, Path input, int parallelism) throws Exception {
        Path segments = Files.writeString(tmp.resolve(name + "-segments.yaml"), SEGMENTS);
        Path flows = Files.writeString(tmp.resolve(name + "-flows.yaml"), FLOWS);
        Path models = tmp.resolve(name + "-models");
        Path registry =
                LogisticModels.registry(
                        models,
                        "models:\n  propensity:\n    champion: {path: "
                                + LogisticModels.write(
                                        models, "propensity", "1", LogisticModels.V1, false)
                                + ", version: \"1\"}\n");
        Configuration conf =
                TestConfig.of(
                        "personalize.segments.definitions=" + segments,
                        "personalize.flows.definitions=" + flows,
                        "personalize.models.registry=" + registry,
                        "personalize.restart.attempts=0",
                        "parallelism.default=" + parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        String changes = "score-segments-changes-" + name;
        String decisions = "score-segments-decisions-" + name;
        var changeQueue = ToQueue.<SegmentChange>fresh(changes);
        var decisionQueue = ToQueue.<Decision>fresh(decisions);
        PersonalizationPipeline.build(
                List.of(FileInputs.of(env, input, InputFormat.ENVELOPE, null)),
                new DiscardingSinks() {
                    @Override
                    public void segmentChanges(DataStream<SegmentChange> stream) {
                        stream.sinkTo(new ToQueue<>(changes));
                    }

                    @Override
                    public void decisions(DataStream<Decision> stream) {
                        stream.sinkTo(new ToQueue<>(decisions));
                    }
                },
                settings);
        env.execute("score segments " + name);
        List<SegmentChange> changeList = new ArrayList<>(changeQueue);
        changeList.sort(Comparator.comparing((SegmentChange c) -> c.changeId));
        return new Run(changeList, new ArrayList<>(decisionQueue));
    }
}
