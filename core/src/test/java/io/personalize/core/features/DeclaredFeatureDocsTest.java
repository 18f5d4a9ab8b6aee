package io.personalize.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.declared.DeclaredFeatures;
import org.junit.jupiter.api.Test;

/** The feature doc of a deployment: the built-in features, then its declared ones. */
class DeclaredFeatureDocsTest {
    @Test
    void theDocOfARegistryWithDeclaredFeaturesListsThemAfterTheBuiltInOnes() throws Exception {
        String doc =
                FeatureDocs.markdown(
                        DeclaredFeatures.parse(
                                        """
                                        features:
                                          - name: support_calls_90d
                                            kind: window
                                            aggregate: count
                                            where: event.event_type == 'custom'
                                            window: 90d
                                        """)
                                .registry());

        assertThat(doc).startsWith(FeatureDocsTest.expected());
        assertThat(doc.substring(FeatureDocsTest.expected().length()))
                .contains("## Declared features")
                .contains(
                        "| `support_calls_90d` | window | long | PT2160H | `0` | — |"
                                + " count over events where `event.event_type == 'custom'` |");
    }
}
