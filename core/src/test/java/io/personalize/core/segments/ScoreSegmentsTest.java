package io.personalize.core.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentEngine.Transition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Segment rules that read champion scores: which segments are score segments, what is refused at
 * compile time, and how the two engine parts (before scoring, in the scoring stage) split the work.
 */
class ScoreSegmentsTest {
    private static final String RULES =
            """
            version: 3
            segments:
              - id: buyers
                name: Buyers
                rule: "lifetime_orders >= 1"
              - id: likely_buyers
                name: Likely buyers
                rule: "score('purchase_propensity') > 0.7"
              - id: likely_repeat_buyers
                name: Likely repeat buyers
                rule: "in_segment('likely_buyers') && in_segment('buyers')"
              - id: top_tier
                name: Top tier
                rule: "score_label('customer_clusters') == 'vip' && score_of('churn_risk', 'yes') < 0.2"
            """;

    private static List<SegmentProblem> problemsOf(SegmentCompiler compiler, String yaml) {
        SegmentValidationException e =
                catchThrowableOfType(
                        SegmentValidationException.class, () -> compiler.compile(yaml));
        assertThat(e).as("refused").isNotNull();
        return e.problems();
    }

    @Test
    void scoreFunctionsAreAcceptedAndReadingOneMakesAScoreSegmentThroughInSegmentToo()
            throws Exception {
        CompiledSegments compiled = SegmentCompiler.standard().compile(RULES);

        assertThat(compiled.scoreSegments())
                .containsExactlyInAnyOrder("likely_buyers", "likely_repeat_buyers", "top_tier");
        assertThat(compiled.modelsOf("likely_buyers")).containsExactly("purchase_propensity");
        assertThat(compiled.modelsOf("top_tier"))
                .containsExactlyInAnyOrder("customer_clusters", "churn_risk");
        assertThat(compiled.modelsOf("likely_repeat_buyers")).isEmpty();
    }

    @Test
    void aBaseSegmentReadingAScoreSegmentIsRefusedNamingBothAndWhy() {
        List<SegmentProblem> problems =
                problemsOf(
                        SegmentCompiler.standard(),
                        """
                        version: 1
                        segments:
                          - id: likely_buyers
                            name: Likely buyers
                            rule: "score('purchase_propensity') > 0.7"
                          - id: browsing_likely_buyers
                            name: Browsing likely buyers
                            rule: "viewed_product('p1', duration('24h')) && in_segment('likely_buyers')"
                        """);

        assertThat(problems).hasSize(1);
        SegmentProblem p = problems.get(0);
        assertThat(p.segmentId()).isEqualTo("browsing_likely_buyers");
        assertThat(p.message())
                .isEqualTo(
                        "base segment 'browsing_likely_buyers' reads score segment"
                                + " 'likely_buyers': 'browsing_likely_buyers' calls viewed_product,"
                                + " so it is evaluated before scoring, when 'likely_buyers' is not"
                                + " known yet");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.column()).isEqualTo(53);
    }

    @Test
    void viewedProductInAScoreSegmentIsRefused() {
        SegmentProblem p =
                problemsOf(
                                SegmentCompiler.standard(),
                                """
                                version: 1
                                segments:
                                  - id: s
                                    name: s
                                    rule: "score('churn_risk') > 0.5 && viewed_product('p1', duration('24h'))"
                                """)
                        .get(0);
        assertThat(p.segmentId()).isEqualTo("s");
        assertThat(p.message()).startsWith("viewed_product in a score segment");
    }

    @Test
    void modelNamesAreCheckedWhenTheCompilerKnowsTheModelsAndMustBeLiterals() {
        SegmentCompiler known = SegmentCompiler.standard().withModels(Set.of("churn_risk"));
        String yaml =
                """
                version: 1
                segments:
                  - id: s
                    name: s
                    rule: "score('purchase_propensity') > 0.5"
                  - id: t
                    name: t
                    rule: "score(loyalty_tier) > 0.5"
                """;
        List<SegmentProblem> problems = problemsOf(known, yaml);
        assertThat(problems)
                .extracting(SegmentProblem::segmentId, SegmentProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "s",
                                "unknown model 'purchase_propensity' in score (known:"
                                        + " churn_risk)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "t", "score needs a literal model name"));
    }

    @Test
    void theBasePartLeavesScoreSegmentsOutAndTheScorePartReadsBaseSegmentsFromTheMoment()
            throws Exception {
        CompiledSegments compiled = SegmentCompiler.standard().compile(RULES);
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c1";
        f.asOf = 1_000;
        f.lifetimeOrders = 2;

        SegmentEngine base = new SegmentEngine(compiled, SegmentEngine.Part.BASE);
        SegmentState baseState = new SegmentState();
        List<Transition> before = base.evaluate(baseState, f, TimeAnchors.none());
        assertThat(before).extracting(Transition::segmentId).containsExactly("buyers");
        assertThat(baseState.segmentIds).containsExactly("buyers");
        f.segments = base.members(baseState);

        SegmentEngine scored = new SegmentEngine(compiled, SegmentEngine.Part.SCORES);
        SegmentState scoreState = new SegmentState();
        List<Transition> at = scored.evaluate(scoreState, f, TimeAnchors.none(), scores(0.9));
        assertThat(at)
                .extracting(Transition::segmentId, Transition::to)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("likely_buyers", Membership.MEMBER),
                        org.assertj.core.groups.Tuple.tuple(
                                "likely_repeat_buyers", Membership.MEMBER),
                        org.assertj.core.groups.Tuple.tuple("top_tier", Membership.UNKNOWN));
        assertThat(scored.members(scoreState))
                .containsExactly("likely_buyers", "likely_repeat_buyers");

        // a lower score leaves both; a customer who is not a buyer is not a repeat buyer
        f.segments = List.of();
        List<Transition> lower = scored.evaluate(scoreState, f, TimeAnchors.none(), scores(0.5));
        assertThat(lower)
                .filteredOn(Transition::exited)
                .extracting(Transition::segmentId)
                .containsExactly("likely_buyers", "likely_repeat_buyers");
    }

    @Test
    void aModelWithoutAScoreMakesTheMembershipUnknownWithTheReason() throws Exception {
        CompiledSegments compiled = SegmentCompiler.standard().compile(RULES);
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c1";
        f.asOf = 1_000;
        f.lifetimeOrders = 1;

        Map<String, SegmentResult> results = compiled.evaluate(f, f.asOf, null, Map.of());
        assertThat(results.get("likely_buyers"))
                .isEqualTo(
                        new SegmentResult(Membership.UNKNOWN, "no score of 'purchase_propensity'"));
        assertThat(results.get("likely_repeat_buyers").membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(results.get("buyers").membership()).isEqualTo(Membership.MEMBER);
        assertThat(compiled.evaluate(f, f.asOf, null, scores(0.8)).get("likely_buyers"))
                .isEqualTo(SegmentResult.MEMBER);
    }

    private static Map<String, CustomerScore> scores(double propensity) {
        CustomerScore s = new CustomerScore();
        s.model = "purchase_propensity";
        s.score = propensity;
        return Map.of(s.model, s);
    }
}
