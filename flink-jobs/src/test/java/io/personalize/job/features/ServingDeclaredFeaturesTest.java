package io.personalize.job.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.job.reload.Offer;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServingDeclaredFeaturesTest {
    private static final String V1 =
            """
            version: 1
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
            """;

    private static final String V2_WITH_WINDOW =
            V1.replace("version: 1", "version: 2")
                    + """
                      - name: support_calls_7d
                        kind: window
                        aggregate: count
                        where: event.event_type == 'custom'
                        window: 7d
                    """;

    private static final String V3_WITHOUT_CONTRACT =
            """
            version: 3
            features:
              - name: support_calls_7d
                kind: window
                aggregate: count
                where: event.event_type == 'custom'
                window: 7d
            """;

    private final Map<String, Set<String>> readers = new HashMap<>();
    private final List<Long> applied = new ArrayList<>();
    private final ServingDeclaredFeatures serving;

    ServingDeclaredFeaturesTest() throws Exception {
        readers.put("segment 'monthly'", Set.of("contract_type"));
        serving =
                new ServingDeclaredFeatures(
                        DeclaredFeatures.parse(V1),
                        () -> Map.copyOf(readers),
                        next -> applied.add(next.version()));
    }

    private static SegmentRulesUpdate reading(String text) {
        SegmentRulesUpdate update = SegmentRulesUpdate.of("features.yaml", text, 0L);
        update.kind = SegmentRulesUpdate.DECLARED_FEATURES;
        return update;
    }

    @Test
    void aValidFileWithAHigherVersionIsAppliedOnceAndThenServes() throws Exception {
        assertThat(serving.offer(reading(V2_WITH_WINDOW))).isEqualTo(Offer.accepted());
        assertThat(serving.offer(reading(V2_WITH_WINDOW))).isEqualTo(Offer.unchanged());

        assertThat(applied).containsExactly(2L);
        assertThat(serving.serving().registry().get("support_calls_7d")).isPresent();
    }

    @Test
    void aFileThatDoesNotCompileIsRefusedOnceWithItsPositionAndThePreviousFeaturesServe()
            throws Exception {
        String invalid = V2_WITH_WINDOW.replace("window: 7d", "window: seven days");

        Offer first = serving.offer(reading(invalid));
        Offer again = serving.offer(reading(invalid));

        assertThat(first.refusals())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.message())
                                        .contains("feature 'support_calls_7d'", "seven days")
                                        .containsPattern("\\d+:\\d+: "));
        assertThat(again).isEqualTo(Offer.unchanged());
        assertThat(serving.version()).isEqualTo(1L);
        assertThat(applied).isEmpty();
    }

    @Test
    void aChangedFileThatKeepsTheVersionIsRefused() throws Exception {
        Offer offer = serving.offer(reading(V2_WITH_WINDOW.replace("version: 2", "version: 1")));

        assertThat(offer.refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.message()).contains("raise version"));
        assertThat(applied).isEmpty();
    }

    @Test
    void removingAFeatureAReaderNeedsWaitsQuietlyUntilTheReaderNoLongerReadsIt() throws Exception {
        Offer refused = serving.offer(reading(V3_WITHOUT_CONTRACT));
        Offer stillRefused = serving.offer(reading(V3_WITHOUT_CONTRACT));
        readers.remove("segment 'monthly'"); // the user changes the segments first
        Offer appliedOnceFree = serving.offer(reading(V3_WITHOUT_CONTRACT));

        assertThat(refused.refusals())
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r.message())
                                        .contains("segment 'monthly'", "'contract_type'"));
        assertThat(stillRefused).as("polled again unchanged").isEqualTo(Offer.unchanged());
        assertThat(appliedOnceFree).isEqualTo(Offer.accepted());
        assertThat(applied).containsExactly(3L);
    }

    @Test
    void aStageThatCannotServeTheChangeRefusesItAndKeepsWhatServes() throws Exception {
        ServingDeclaredFeatures refusing =
                new ServingDeclaredFeatures(
                        DeclaredFeatures.parse(V1),
                        Map::of,
                        next -> {
                            throw new ServingDeclaredFeatures.Refused("flow 'x' does not compile");
                        });

        Offer offer = refusing.offer(reading(V2_WITH_WINDOW));

        assertThat(offer.refusals())
                .singleElement()
                .satisfies(r -> assertThat(r.message()).isEqualTo("flow 'x' does not compile"));
        assertThat(refusing.version()).isEqualTo(1L);
    }
}
