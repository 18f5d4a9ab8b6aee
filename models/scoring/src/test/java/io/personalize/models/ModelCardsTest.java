package io.personalize.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.models.ModelCard.OutputKind;
import io.personalize.models.ModelCard.Task;
import io.personalize.models.testing.TestModels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCardsTest {
    private static final String CARD =
            """
            name: purchase_propensity
            version: "3"
            task: binary_classification
            inputs:
              tensor: features
              features: [orders_30d, revenue_90d, days_since_last_purchase]
            output:
              name: probabilities
              kind: probabilities
            labels: ["0", "1"]
            defaults:
              days_since_last_purchase: .nan
            training: {rows: 12000, seed: 7, metrics: {roc_auc: 0.81}}
            golden:
              - features: {orders_30d: 2, revenue_90d: 120.5, days_since_last_purchase: 3}
                score: 0.7312
                label: "1"
            tolerance: 1.0e-4
            """;

    @Test
    void documentedCardParsesWithANanDefault() throws Exception {
        ModelCard card = ModelCards.parse(CARD, "test");

        assertThat(card.id()).isEqualTo("purchase_propensity 3");
        assertThat(card.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
        assertThat(card.features())
                .containsExactly("orders_30d", "revenue_90d", "days_since_last_purchase");
        assertThat(card.output().kind()).isEqualTo(OutputKind.PROBABILITIES);
        assertThat((Double) card.defaults().get("days_since_last_purchase")).isNaN();
        assertThat(card.golden().get(0).features().get("orders_30d")).isEqualTo(2.0);
        assertThat(card.golden().get(0).features().get("revenue_90d")).isEqualTo(120.5);
        assertThat(card.golden().get(0).score()).isEqualTo(0.7312);
        assertThat(card.toleranceOrDefault()).isEqualTo(ModelCard.Tolerance.absolute(1e-4));
        assertThat(card.training()).containsEntry("rows", 12000);
    }

    @Test
    void aToleranceWithARelativePartAndTheGoldenThreadsParse() throws Exception {
        ModelCard card =
                ModelCards.parse(
                        CARD.replace(
                                "tolerance: 1.0e-4",
                                "tolerance: {absolute: 1.0e-6, relative: 1.0e-4}\ngolden_threads: 4"),
                        "test");
        assertThat(card.tolerance()).isEqualTo(new ModelCard.Tolerance(1e-6, 1e-4));
        assertThat(card.goldenThreads()).isEqualTo(4);
        assertThat(card.tolerance().allows(0.5, 0.50004)).isTrue();
        assertThat(card.tolerance().allows(0.5, 0.5001)).isFalse();
        assertThat(ModelCards.parse(ModelCards.toYaml(card), "again")).isEqualTo(card);
    }

    @Test
    void aValueThatIsNotOneOfTheChoicesIsRefusedNamingTheChoices() {
        ModelException e =
                catchThrowableOfType(
                        ModelException.class,
                        () ->
                                ModelCards.parse(
                                        CARD.replace("kind: probabilities", "kind: tensor"),
                                        "card.yaml"));
        assertThat(e.getMessage())
                .contains(
                        "output.kind: 'tensor' is not one of probabilities, probability_map,"
                                + " value, label")
                .doesNotContain("Cannot deserialize");
    }

    @Test
    void aMissingCardIsOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ModelException e =
                catchThrowableOfType(
                        ModelException.class, () -> ModelCards.read(dir.resolve("model.yaml")));
        assertThat(e.getMessage())
                .contains("missing: a model needs its card next to it")
                .doesNotContain("Exception");
    }

    @Test
    void everyTestCardSurvivesAYamlRoundTrip() throws Exception {
        for (TestModels.TestModel m : TestModels.all().values()) {
            String yaml = ModelCards.toYaml(m.card());
            assertThat(ModelCards.parse(yaml, m.card().name())).as(yaml).isEqualTo(m.card());
        }
        ModelCard parsed = ModelCards.parse(CARD, "test");
        assertThat(ModelCards.parse(ModelCards.toYaml(parsed), "again")).isEqualTo(parsed);
    }

    @Test
    void nonFiniteNumbersAreWrittenAsYamlFloatsAndReadBack() throws Exception {
        ModelCard c = TestModels.scalerTreeRegressor().card();
        ModelCard card =
                new ModelCard(
                        c.name(),
                        c.version(),
                        c.task(),
                        c.description(),
                        c.inputs(),
                        c.output(),
                        c.labels(),
                        c.threshold(),
                        c.defaults(),
                        Map.of(
                                "metrics",
                                Map.of("r2", Double.NaN, "max_error", Double.POSITIVE_INFINITY)),
                        c.golden(),
                        c.tolerance());

        String yaml = ModelCards.toYaml(card);

        assertThat(yaml)
                .contains("days_since_last_purchase: .nan")
                .contains("r2: .nan")
                .contains("max_error: .inf");
        ModelCard parsed = ModelCards.parse(yaml, "x");
        assertThat(parsed).isEqualTo(card);
        assertThat((Double) parsed.defaults().get("days_since_last_purchase")).isNaN();
    }

    @Test
    void numericLookingStringsStayStringsInYaml() throws Exception {
        ModelCard card = TestModels.treeClassifier(false).card();

        String yaml = ModelCards.toYaml(card);

        assertThat(yaml).contains("version: \"1\"");
        assertThat(ModelCards.parse(yaml, "x").labels()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void unknownFieldIsRefusedNamingIt() {
        ModelException e =
                catchThrowableOfType(
                        ModelException.class,
                        () -> ModelCards.parse(CARD + "treshold: 0.4\n", "cards/p.yaml"));

        assertThat(e.getMessage())
                .startsWith("card cards/p.yaml: not a model card")
                .contains("treshold");
    }

    @Test
    void goldenExampleWithoutAScoreIsRefused() {
        String yaml = CARD.replace("    score: 0.7312\n", "");

        ModelException e =
                catchThrowableOfType(ModelException.class, () -> ModelCards.parse(yaml, "p.yaml"));

        assertThat(e.getMessage())
                .startsWith("card p.yaml: not a model card")
                .contains("Missing required creator property 'score'");
    }

    @Test
    void structuralProblemsAreAllNamedAtOnce() {
        String yaml =
                CARD.replace("task: binary_classification", "task: regression")
                        .replace("defaults:\n  days_since_last_purchase: .nan\n", "")
                        .replace("revenue_90d, days", "loyalty_tier, days");

        ModelException e =
                catchThrowableOfType(ModelException.class, () -> ModelCards.parse(yaml, "p.yaml"));

        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "feature 'loyalty_tier' is string, a model reads only long and double"
                                + " features",
                        "feature 'days_since_last_purchase' can be missing and has no default"
                                + " (give one under defaults, or .nan to pass it as missing)",
                        "output kind probabilities does not fit task regression",
                        "labels given for a regression model",
                        "golden example 1 sets 'revenue_90d', which is not an input");
        assertThat(e.getMessage()).startsWith("model purchase_propensity 3: ");
    }
}
