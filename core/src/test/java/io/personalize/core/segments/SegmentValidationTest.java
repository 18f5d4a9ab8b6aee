package io.personalize.core.segments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentValidationTest {
    private final SegmentCompiler compiler = SegmentCompiler.standard();

    private List<SegmentProblem> problemsOf(String segmentsYaml) {
        SegmentValidationException e =
                catchThrowableOfType(
                        SegmentValidationException.class,
                        () -> compiler.compile("version: 1\nsegments:\n" + segmentsYaml));
        assertThat(e).as("refused").isNotNull();
        return e.problems();
    }

    private static String segment(String id, String rule) {
        return "  - id: " + id + "\n    name: " + id + "\n    rule: \"" + rule + "\"\n";
    }

    @Test
    void defaultsCompile() throws Exception {
        CompiledSegments compiled = compiler.compile(SegmentDefinitions.defaultsText());
        assertThat(compiled.definitions().segments()).hasSize(9);
        assertThat(compiled.variablesOf("frequent_buyers")).containsExactly("orders_30d");
        List<String> order = compiled.evaluationOrder();
        assertThat(order.indexOf("frequent_buyers"))
                .isLessThan(order.indexOf("recent_not_frequent"));
        assertThat(order.indexOf("recent_buyers")).isLessThan(order.indexOf("recent_not_frequent"));
    }

    @Test
    void unknownFeatureIsRefusedWithSegmentAndPosition() {
        List<SegmentProblem> problems = problemsOf(segment("s1", "orders_30d > 3 && ordrs_7d > 1"));
        assertThat(problems).hasSize(1);
        SegmentProblem p = problems.get(0);
        assertThat(p.segmentId()).isEqualTo("s1");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.column()).isEqualTo(19);
        assertThat(p.message()).contains("ordrs_7d");
        assertThat(p.toString()).startsWith("segment 's1' at 1:19: ");
    }

    @Test
    void typeErrorIsRefused() {
        SegmentProblem p = problemsOf(segment("s2", "loyalty_tier > 3")).get(0);
        assertThat(p.segmentId()).isEqualTo("s2");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.column()).isEqualTo(14);
        assertThat(p.message()).contains("_>_").contains("string").contains("int");
    }

    @Test
    void nonBooleanRuleIsRefused() {
        SegmentProblem p = problemsOf(segment("s3", "orders_30d + 1")).get(0);
        assertThat(p.segmentId()).isEqualTo("s3");
        assertThat(p.line()).isPositive();
        assertThat(p.message()).contains("bool").contains("int");
    }

    @Test
    void referenceToUnknownSegmentIsRefused() {
        SegmentProblem p = problemsOf(segment("s4", "in_segment('nope')")).get(0);
        assertThat(p.segmentId()).isEqualTo("s4");
        assertThat(p)
                .extracting(SegmentProblem::line, SegmentProblem::column)
                .containsExactly(1, 12);
        assertThat(p.message()).contains("unknown segment 'nope'");
    }

    @Test
    void nonLiteralSegmentReferenceIsRefused() {
        SegmentProblem p = problemsOf(segment("s5", "in_segment(loyalty_tier)")).get(0);
        assertThat(p.message()).contains("literal segment id");
    }

    @Test
    void cycleIsRefusedAndNamed() {
        List<SegmentProblem> problems =
                problemsOf(
                        segment("a", "orders_30d > 1 && in_segment('b')")
                                + segment("b", "in_segment('c')")
                                + segment("c", "in_segment('a')"));
        assertThat(problems).hasSize(1);
        SegmentProblem p = problems.get(0);
        assertThat(p.segmentId()).isEqualTo("a");
        assertThat(p.message()).contains("a -> b -> c -> a");
        assertThat(p)
                .extracting(SegmentProblem::line, SegmentProblem::column)
                .containsExactly(1, 30);
    }

    @Test
    void selfReferenceIsACycle() {
        SegmentProblem p = problemsOf(segment("self", "in_segment('self')")).get(0);
        assertThat(p.message()).contains("self -> self");
    }

    @Test
    void durationInDaysIsRefusedAtLoad() {
        SegmentProblem p = problemsOf(segment("d", "viewed_product('x', duration('7d'))")).get(0);
        assertThat(p.segmentId()).isEqualTo("d");
        assertThat(p)
                .extracting(SegmentProblem::line, SegmentProblem::column)
                .containsExactly(1, 30);
        assertThat(p.message()).contains("invalid duration '7d'").contains("168h");
    }

    @Test
    void duplicateIdsAreRefused() {
        List<SegmentProblem> problems =
                problemsOf(segment("dup", "orders_30d > 1") + segment("dup", "orders_7d > 1"));
        assertThat(problems).extracting(SegmentProblem::segmentId).containsExactly("dup");
        assertThat(problems.get(0).message()).contains("duplicate id");
    }

    @Test
    void everyProblemIsListed() {
        List<SegmentProblem> problems =
                problemsOf(
                        segment("x", "nope > 1")
                                + segment("y", "orders_30d")
                                + segment("z", "in_segment('missing')"));
        assertThat(problems).extracting(SegmentProblem::segmentId).containsExactly("x", "y", "z");
    }

    @Test
    void multiLineRuleReportsTheLine() {
        String yaml =
                "version: 1\nsegments:\n  - id: ml\n    name: ml\n    rule: |-\n"
                        + "      orders_30d > 3\n      && bogus == 1\n";
        SegmentValidationException e =
                catchThrowableOfType(
                        SegmentValidationException.class, () -> compiler.compile(yaml));
        assertThat(e.problems().get(0))
                .extracting(SegmentProblem::line, SegmentProblem::column)
                .containsExactly(2, 4);
    }

    @Test
    void malformedFileIsOneProblem() {
        SegmentValidationException e =
                catchThrowableOfType(
                        SegmentValidationException.class, () -> compiler.compile("segments: 3"));
        assertThat(e.problems()).hasSize(1);
    }
}
