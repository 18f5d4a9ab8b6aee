package io.personalize.core.features.declared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeclaredFeatureChangesTest {
    private static final String SERVING =
            """
            version: 1
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
              - name: support_calls_90d
                kind: window
                aggregate: count
                where: event.event_type == 'custom'
                window: 90d
            """;

    private static DeclaredFeatures parse(String yaml) throws FeatureValidationException {
        return DeclaredFeatures.parse(yaml);
    }

    @Test
    void removingAFeatureASegmentReadsIsRefusedNamingBoth() throws Exception {
        DeclaredFeatures next =
                parse(
                        """
                        version: 2
                        features:
                          - name: support_calls_90d
                            kind: window
                            aggregate: count
                            where: event.event_type == 'custom'
                            window: 90d
                        """);

        assertThat(
                        DeclaredFeatureChanges.breaks(
                                parse(SERVING),
                                next,
                                Map.of(
                                        "segment 'monthly'",
                                        Set.of("contract_type", "lifetime_orders"),
                                        "flow 'calls'",
                                        Set.of("support_calls_90d"))))
                .hasValueSatisfying(
                        message ->
                                assertThat(message)
                                        .contains(
                                                "segment 'monthly' reads feature 'contract_type',"
                                                        + " which the file no longer declares")
                                        .doesNotContain("flow 'calls'", "lifetime_orders"));
    }

    @Test
    void retypingAFeatureACardReadsIsRefusedWithBothTypes() throws Exception {
        DeclaredFeatures next =
                parse(
                        SERVING.replace("version: 1", "version: 2")
                                .replace("type: string", "type: number"));

        assertThat(
                        DeclaredFeatureChanges.breaks(
                                parse(SERVING),
                                next,
                                Map.of("model card 'churn' 3", Set.of("contract_type"))))
                .hasValue(
                        "declared features version 2 would break what serves (change the readers"
                                + " first):\n"
                                + "  model card 'churn' 3 reads feature 'contract_type' as string,"
                                + " which the file makes number");
    }

    @Test
    void addingFeaturesAndRemovingOnesNobodyReadsIsAllowed() throws Exception {
        DeclaredFeatures next =
                parse(
                        """
                        version: 2
                        features:
                          - name: contract_type
                            kind: profile
                            type: string
                            path: attributes.plan
                          - name: shoe_views_7d
                            kind: window
                            aggregate: count
                            where: event.event_type == 'product_viewed'
                            window: 7d
                        """);

        assertThat(
                        DeclaredFeatureChanges.breaks(
                                parse(SERVING),
                                next,
                                Map.of("segment 'monthly'", Set.of("contract_type"))))
                .isEmpty();
    }
}
