package io.personalize.job.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.segments.SegmentDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureReadersTest {
    private static final String FEATURES =
            """
            version: 1
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
            """;

    private static final String SEGMENTS =
            """
            version: 1
            segments:
              - id: buyers
                name: Buyers
                rule: lifetime_orders > 0
            """;

    @TempDir Path tmp;

    @Test
    void aStageJudgesByTheWatchedSegmentsFileWhenItCompilesAndByItsOwnReaders() throws Exception {
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString(
                segments,
                SEGMENTS.replace("version: 1", "version: 2")
                        + """
                          - id: monthly
                            name: Monthly
                            rule: contract_type == 'month_to_month'
                        """);
        FeatureReaders readers =
                new FeatureReaders(
                        SegmentDefinitions.parse(SEGMENTS),
                        segments.toString(),
                        FlowDefinitions.parse("version: 1\nflows: []\n"),
                        null,
                        false,
                        null);

        Map<String, Set<String>> all =
                readers.all(
                        DeclaredFeatures.parse(FEATURES).registry(),
                        Map.of("flow 'calls'", Set.of("contract_type")));

        assertThat(all)
                .containsEntry("segment 'monthly'", Set.of("contract_type"))
                .containsEntry("segment 'buyers'", Set.of("lifetime_orders"))
                .containsEntry("flow 'calls'", Set.of("contract_type"));
    }

    @Test
    void aWatchedSegmentsFileThatDoesNotCompileCountsAsTheConfiguredSegments() throws Exception {
        Path segments = tmp.resolve("segments.yaml");
        Files.writeString(segments, SEGMENTS.replace("lifetime_orders", "no_such_feature"));
        FeatureReaders readers =
                new FeatureReaders(
                        SegmentDefinitions.parse(SEGMENTS),
                        segments.toString(),
                        FlowDefinitions.parse("version: 1\nflows: []\n"),
                        null,
                        false,
                        null);

        assertThat(readers.all(DeclaredFeatures.parse(FEATURES).registry(), Map.of()))
                .containsOnlyKeys("segment 'buyers'");
    }
}
