package io.personalize.core.features.declared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.core.features.FeatureType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredFeaturesCompilerTest {
    static final String EXAMPLE =
            """
            version: 2
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
                default: month_to_month
                max_age: 365d
              - name: tenure_months
                kind: profile
                type: number
                path: attributes.tenure_months
              - name: support_calls_90d
                kind: window
                aggregate: count
                where: event.event_type == 'custom' && event.custom.type == 'support_call'
                window: 90d
              - name: distinct_categories_30d
                kind: window
                aggregate: distinct_count
                where: event.event_type == 'product_view'
                value: event.product.category_code
                window: 30d
              - name: ltv_tier
                kind: derived
                type: string
                expression: "lifetime_revenue >= 1000.0 ? 'gold' : ltv_base"
              - name: ltv_base
                kind: derived
                type: string
                expression: "support_calls_90d > 3 ? 'at_risk' : 'standard'"
            """;

    private static List<FeatureProblem> problems(String yaml) {
        try {
            DeclaredFeaturesCompiler.standard().compile(yaml);
        } catch (FeatureValidationException e) {
            return e.problems();
        }
        throw new AssertionError("the file was accepted");
    }

    private static String feature(String body) {
        return "features:\n" + body.stripIndent();
    }

    @Test
    void compilesTheThreeKindsWithDerivedFeaturesAfterThoseTheyRead() throws Exception {
        DeclaredFeatures declared = DeclaredFeaturesCompiler.standard().compile(EXAMPLE);

        assertThat(declared.version()).isEqualTo(2);
        assertThat(declared.features())
                .extracting(DeclaredFeature::name)
                .containsExactly(
                        "contract_type",
                        "tenure_months",
                        "support_calls_90d",
                        "distinct_categories_30d",
                        "ltv_base",
                        "ltv_tier");
        DeclaredFeature contract = declared.features().get(0);
        assertThat(contract.path()).containsExactly("attributes", "contract_type");
        assertThat(contract.defaultValue()).isEqualTo("month_to_month");
        assertThat(contract.maxAge()).isEqualTo(Duration.ofDays(365));
        assertThat(declared.features().get(2).type()).isEqualTo(FeatureType.LONG);
        assertThat(declared.features().get(2).window()).isEqualTo(Duration.ofDays(90));
        assertThat(declared.registry().get("ltv_tier")).isPresent();
    }

    @Test
    void anUnknownFunctionIsRefusedAtItsPositionInTheFile() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: calls
                                    kind: window
                                    aggregate: count
                                    where: event.event_type == 'custom' && shout(event.custom.type)
                                    window: 90d
                                """));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message()).contains("where:").contains("shout");
        // "    where: " is 11 columns: the expression starts at column 12; CEL places a call at
        // its "(", 37 characters into the expression
        assertThat(problems.get(0).line()).isEqualTo(5);
        assertThat(problems.get(0).column()).isEqualTo(12 + 37);
    }

    @Test
    void aTypeErrorInADerivedExpressionIsRefusedAtItsPosition() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: tier
                                    kind: derived
                                    type: string
                                    expression: "lifetime_revenue + 'x'"
                                """));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).toString()).startsWith("5:").contains("tier");
        assertThat(problems.get(0).message()).contains("expression:").contains("_+_");
    }

    @Test
    void aDerivedExpressionOfAnotherTypeThanDeclaredIsATypeError() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: tier
                                    kind: derived
                                    type: string
                                    expression: lifetime_revenue * 2.0
                                """));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(5));
        assertThat(problems.get(0).message()).contains("string").contains("double");
    }

    @Test
    void aSumOfTextIsATypeError() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: spent
                                    kind: window
                                    aggregate: sum
                                    where: "true"
                                    value: "'text'"
                                    window: 7d
                                """));

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(6));
        assertThat(problems.get(0).message()).contains("type error").contains("a number");
    }

    @Test
    void aCycleBetweenDerivedFeaturesIsRefused() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: a
                                    kind: derived
                                    type: integer
                                    expression: b + 1
                                  - name: b
                                    kind: derived
                                    type: integer
                                    expression: a + orders_30d
                                  - name: c
                                    kind: derived
                                    type: integer
                                    expression: a * 2
                                """));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message())
                .isEqualTo("cycle between derived features: a -> b -> a");
        assertThat(problems.get(0).line()).isEqualTo(5);
    }

    @Test
    void aWindowThatIsNotADurationIsRefusedAtItsPosition() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: calls
                                    kind: window
                                    aggregate: count
                                    where: "true"
                                    window: ninety days
                                """));

        assertThat(problems)
                .singleElement()
                .hasToString(
                        "6:13: feature 'calls': window must be a positive duration (e.g. 90d, 12h, P7D),"
                                + " not 'ninety days'");
    }

    @Test
    void duplicateAndBuiltInNamesAreRefused() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: tier
                                    kind: profile
                                    type: string
                                    path: tier
                                  - name: tier
                                    kind: profile
                                    type: string
                                    path: other_tier
                                  - name: orders_30d
                                    kind: profile
                                    type: number
                                    path: orders
                                """));

        assertThat(problems)
                .extracting(FeatureProblem::line, FeatureProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(6, "duplicate name"),
                        org.assertj.core.groups.Tuple.tuple(
                                10, "name clashes with the built-in feature 'orders_30d'"));
    }

    @Test
    void unknownKindTypeAggregateAndFieldAreRefused() {
        List<FeatureProblem> problems =
                problems(
                        feature(
                                """
                                  - name: a
                                    kind: lookup
                                  - name: b
                                    kind: profile
                                    type: money
                                    path: x
                                  - name: c
                                    kind: window
                                    aggregate: median
                                    where: "true"
                                    window: 7d
                                  - name: d
                                    kind: profile
                                    type: string
                                    path: d
                                    windoe: 7d
                                """));

        assertThat(problems)
                .extracting(FeatureProblem::toString)
                .containsExactly(
                        "3:11: feature 'a': unknown kind 'lookup' (profile, window or derived)",
                        "6:11: feature 'b': unknown type 'money' (boolean, date, integer,"
                                + " number, string, string_list)",
                        "10:16: feature 'c': unknown aggregate 'median' (count, sum, min, max,"
                                + " average, distinct_count, last)",
                        "17:5: feature 'd': unknown field 'windoe' for a profile feature");
    }

    @Test
    void aDefaultOfTheWrongTypeAndBrokenYamlAreRefused() {
        assertThat(
                        problems(
                                feature(
                                        """
                                          - name: tenure
                                            kind: profile
                                            type: number
                                            path: tenure
                                            default: long
                                        """)))
                .extracting(FeatureProblem::toString)
                .containsExactly("6:14: feature 'tenure': default is not a number value");
        assertThat(problems("features: [\n  - name: x\n"))
                .singleElement()
                .satisfies(p -> assertThat(p.feature()).isEqualTo("*"))
                .satisfies(p -> assertThat(p.line()).isPositive());
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(
                        () ->
                                DeclaredFeaturesCompiler.standard()
                                        .compile(
                                                feature(
                                                        """
                                                          - name: a
                                                            kind: derived
                                                            type: integer
                                                            expression: nope(1)
                                                          - name: b
                                                            kind: window
                                                            aggregate: count
                                                            where: "true"
                                                            window: 0
                                                        """)))
                .isInstanceOf(FeatureValidationException.class)
                .hasMessageContaining("2 problem(s)")
                .hasMessageContaining("nope")
                .hasMessageContaining("window must be a positive duration");
    }
}
