package io.personalize.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.features.declared.DeclaredFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A card may name a deployment's declared features when checked against its registry. */
class DeclaredFeatureCardTest {
    private static final String CARD =
            """
            name: churn_with_calls
            version: "1"
            task: binary_classification
            inputs:
              tensor: features
              features: [orders_30d, support_calls_90d, tenure_months]
            output:
              name: probabilities
              kind: probabilities
            labels: ["0", "1"]
            defaults:
              tenure_months: 12.0
            golden:
              - features: {orders_30d: 1, support_calls_90d: 3, tenure_months: 4}
                score: 0.5
            """;

    private static FeatureRegistry declared() throws Exception {
        return DeclaredFeatures.parse(
                        """
                        features:
                          - name: support_calls_90d
                            kind: window
                            aggregate: count
                            where: event.event_type == 'custom'
                            window: 90d
                          - name: tenure_months
                            kind: profile
                            type: number
                            path: attributes.tenure_months
                            max_age: 30d
                        """)
                .registry();
    }

    @Test
    void aCardNamingDeclaredFeaturesIsRefusedWithoutThemAndAcceptedWithThem() throws Exception {
        ModelException refused =
                catchThrowableOfType(ModelException.class, () -> ModelCards.parse(CARD, "test"));
        assertThat(refused.problems()).anyMatch(p -> p.contains("support_calls_90d"));

        ModelCard card = ModelCards.parse(CARD, "test", declared());

        assertThat(card.features()).contains("support_calls_90d", "tenure_months");
    }

    @Test
    void aDeclaredValueIsReadAndAMissingOrStaleOneTakesTheCardDefaultAndIsImputed()
            throws Exception {
        FeatureRegistry registry = declared();
        FeatureVectorizer vectorizer =
                new FeatureVectorizer(ModelCards.parse(CARD, "test", registry), registry);
        CustomerFeatures features = new CustomerFeatures();
        features.orders30d = 1;
        features.putDeclared("support_calls_90d", FeatureType.LONG, 3L);
        // tenure_months is stale: the engine leaves its value out and lists it
        features.staleFeatures = List.of("tenure_months");

        FeatureVectorizer.Row row = vectorizer.row(features);

        assertThat(row.values()).containsExactly(1f, 3f, 12f);
        assertThat(row.imputed()).containsExactly("tenure_months");
    }
}
