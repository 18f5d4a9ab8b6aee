package io.personalize.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.models.testing.TestModels;
import org.junit.jupiter.api.Test;

/**
 * A card that names the model's inputs is refused with messages that name the input, the column and
 * the problem: first by the checks that need no model, then against the model's own inputs.
 */
class NamedInputCardsTest {

    /** A regression card with these inputs (YAML list items) and defaults. */
    private static String card(String inputs, String defaults) {
        return """
                name: m
                version: "1"
                task: regression
                inputs:
                %s
                output: {name: variable, kind: value}
                defaults: %s
                golden:
                  - features: {}
                    score: 1.0
                """
                .formatted(inputs.indent(2).stripTrailing(), defaults);
    }

    private static ModelException refused(String yaml) {
        try {
            ModelCards.parse(yaml, "m.yaml");
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void unknownFeatureIsNamedWithItsInputAndColumn() {
        ModelException e =
                refused(card("- {name: tier, type: string, columns: [loyalty_tierr]}", "{}"));
        assertThat(e.problems())
                .containsExactly(
                        "input 'tier' column 'loyalty_tierr': unknown feature 'loyalty_tierr'"
                                + " (not in the feature registry)");
    }

    @Test
    void featureOfATypeTheInputCannotTakeIsRefused() {
        ModelException e =
                refused(card("- {name: x, type: float, columns: [country]}", "{country: 0}"));
        assertThat(e.problems())
                .containsExactly(
                        "input 'x' column 'country': feature 'country' is string, which a float"
                                + " input cannot take");
    }

    @Test
    void mapFeatureNeedsAKeyAndOnlyAMapFeatureTakesOne() {
        ModelException e =
                refused(
                        card(
                                "- {name: x, type: float, columns: [category_affinity,"
                                        + " 'orders_30d[a]']}",
                                "{category_affinity: 0}"));
        assertThat(e.problems())
                .containsExactly(
                        "input 'x' column 'category_affinity': 'category_affinity' is a map, a"
                                + " column reads one key of it: category_affinity[key]",
                        "input 'x' column 'orders_30d[a]': 'orders_30d' is long, not a map"
                                + " feature");
    }

    @Test
    void int64AndStringColumnsThatCanBeMissingNeedADefaultFloatOnesMayTakeNan() {
        ModelException e =
                refused(
                        card(
                                """
                                - {name: counts, type: int64, columns: [days_since_last_purchase]}
                                - {name: tier, type: string, columns: [loyalty_tier]}
                                - {name: rate, type: float, columns: [email_open_rate_30d]}
                                """,
                                "{}"));
        assertThat(e.problems())
                .containsExactly(
                        "input 'counts' column 'days_since_last_purchase' can be missing and has no"
                                + " default: give one under defaults (an input of type int64 has"
                                + " no missing value)",
                        "input 'tier' column 'loyalty_tier' can be missing and has no default:"
                                + " give one under defaults (an input of type string has no"
                                + " missing value)",
                        "input 'rate' column 'email_open_rate_30d' can be missing and has no"
                                + " default: give one under defaults, or .nan to pass it as"
                                + " missing");
    }

    @Test
    void defaultMustBeAValueOfTheInputsType() {
        ModelException e =
                refused(
                        card(
                                "- {name: tier, type: string, columns: [loyalty_tier]}\n"
                                        + "- {name: c, type: int64, columns: [age]}",
                                "{loyalty_tier: 3, age: .nan}"));
        assertThat(e.problems())
                .containsExactly(
                        "default 3.0 for 'loyalty_tier' is not a value of type string (input 'tier')",
                        "default NaN for 'age' is not a value of type int64 (input 'c')");
    }

    @Test
    void aFeatureInManyColumnsWithTheSameProblemIsReportedOnce() {
        ModelException e =
                refused(
                        card(
                                "- {name: x, type: string, columns: [loyalty_tier, loyalty_tier,"
                                        + " loyalty_tier]}",
                                "{}"));
        assertThat(e.problems()).hasSize(1);
    }

    @Test
    void unknownElementTypeAndMalformedColumnAreRefusedAtParse() {
        assertThatThrownBy(
                        () ->
                                ModelCards.parse(
                                        card("- {name: x, type: text, columns: [age]}", "{}"),
                                        "m.yaml"))
                .hasMessageContaining("'text' is not one of float, double, int64, bool, string");
        assertThatThrownBy(
                        () ->
                                ModelCards.parse(
                                        card(
                                                "- {name: x, type: float, columns:"
                                                        + " [{feature: category_affinity}]}",
                                                "{}"),
                                        "m.yaml"))
                .hasMessageContaining(
                        "input 'x': column {feature=category_affinity} is neither a feature"
                                + " name, feature[key], nor {feature: name, keys: [...]}");
    }

    // ---- against the model ----

    private static ModelException refusedBy(byte[] onnx, String yaml) throws ModelException {
        ModelCard card = ModelCards.parse(yaml, "m.yaml");
        try {
            OnnxModel.load(onnx, card, 1).close();
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError("loaded:\n" + yaml);
    }

    @Test
    void wrongElementTypeIsNamedWithTheModelsType() throws Exception {
        ModelException e =
                refusedBy(
                        TestModels.tierValue().onnx(),
                        card("- {name: tier, type: float, columns: [orders_30d]}", "{}"));
        assertThat(e.problems())
                .containsExactly(
                        "input 'tier' is a string tensor in the model, the card feeds float");
    }

    @Test
    void wrongWidthIsNamedWithTheModelsWidthAndTheCardsColumns() throws Exception {
        ModelException e =
                refusedBy(
                        TestModels.tierValue().onnx(),
                        card(
                                "- {name: tier, type: string, columns: [loyalty_tier, country]}",
                                "{loyalty_tier: none, country: none}"));
        assertThat(e.problems())
                .containsExactly("input 'tier' has width 1 in the model, the card lists 2 columns");
    }

    @Test
    void inputTheCardDoesNotFeedAndInputTheModelLacksAreBothNamed() throws Exception {
        ModelException e =
                refusedBy(
                        ModelInputShapesTest.countsModel(),
                        card(
                                "- {name: counts, type: int64, columns: [orders_30d,"
                                        + " lifetime_orders]}\n"
                                        + "- {name: consents, type: bool, columns: [email_consent]}",
                                "{email_consent: false}"));
        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "input 'consents' not in the model (it has: consent, counts)",
                        "the model also needs input 'consent', which the card does not list");
    }
}
