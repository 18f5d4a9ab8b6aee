package io.personalize.core.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.personalize.core.segments.SegmentDefinition;
import io.personalize.core.segments.SegmentDefinitions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowValidationTest {
    private final FlowCompiler compiler = FlowCompiler.standard();

    private List<FlowProblem> problemsOf(String flowsYaml) {
        return problemsOf(compiler, flowsYaml);
    }

    private static List<FlowProblem> problemsOf(FlowCompiler compiler, String flowsYaml) {
        FlowValidationException e =
                catchThrowableOfType(
                        FlowValidationException.class,
                        () -> compiler.compile("version: 1\nflows:\n" + flowsYaml));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).contains(e.problems().size() + " problem(s)");
        return e.problems();
    }

    /** A valid flow with one line replaced or added (YAML keys at 4 spaces). */
    private static String flow(String id, String... lines) {
        StringBuilder out = new StringBuilder("  - id: " + id + "\n");
        List<String> keys = List.of("trigger", "endpoint", "template");
        List<String> given = List.of(lines);
        for (String key : keys) {
            if (given.stream().noneMatch(l -> l.startsWith(key + ":"))) {
                out.append("    ")
                        .append(
                                switch (key) {
                                    case "trigger" -> "trigger: {pattern: cart_abandoned}";
                                    case "endpoint" -> "endpoint: esp";
                                    default -> "template: tpl_" + id;
                                })
                        .append('\n');
            }
        }
        for (String line : lines) {
            out.append("    ").append(line).append('\n');
        }
        return out.toString();
    }

    @Test
    void defaultsCompileToTheSixShippedFlows() throws Exception {
        CompiledFlows compiled = compiler.compile(FlowDefinitions.defaultsText());
        assertThat(compiled.version()).isEqualTo(1);
        assertThat(compiled.flows())
                .extracting(Flow::id)
                .containsExactly(
                        "abandoned_cart",
                        "cart_reminder",
                        "churn_save",
                        "browse_abandonment",
                        "win_back",
                        "loyalty_appreciation");
        assertThat(compiled.flows()).allSatisfy(f -> assertThat(f.endpointId()).isEqualTo("esp"));
        assertThat(compiled.flow("win_back").orElseThrow().assign("42").experimentId())
                .isEqualTo("win_back_offer");
    }

    @Test
    void unknownFeatureIsRefusedWithFlowFieldAndPosition() {
        List<FlowProblem> problems =
                problemsOf(flow("f1", "conditions: [\"cart_items > 0 && ordrs_7d > 1\"]"));
        assertThat(problems).hasSize(1);
        FlowProblem p = problems.get(0);
        assertThat(p.flowId()).isEqualTo("f1");
        assertThat(p.field()).isEqualTo("conditions[0]");
        assertThat(p.line()).isEqualTo(1);
        assertThat(p.column()).isEqualTo(19);
        assertThat(p.message()).contains("ordrs_7d");
        assertThat(p.toString()).startsWith("flow 'f1' conditions[0] at 1:19: ");
    }

    @Test
    void typeErrorAndNonBooleanRulesAreRefused() {
        List<FlowProblem> problems =
                problemsOf(
                        flow(
                                "f2",
                                "trigger: {condition: \"loyalty_tier > 3\"}",
                                "content: [{when: \"orders_30d + 1\", blocks: [a]}]"));
        assertThat(problems)
                .extracting(FlowProblem::field)
                .containsExactly("trigger.condition", "content[0].when");
        assertThat(problems.get(0).message()).contains("_>_").contains("string").contains("int");
        assertThat(problems.get(1).message()).contains("bool").contains("int");
    }

    @Test
    void contentVariablesNeedLowerSnakeCaseNamesAndAValue() {
        List<FlowProblem> problems =
                problemsOf(
                        flow(
                                "f9",
                                "content:",
                                "  - blocks: [offer]",
                                "    variables: {Discount-Code: X, discount_code: null}"));
        assertThat(problems)
                .extracting(FlowProblem::field)
                .containsExactlyInAnyOrder(
                        "content[0].variables", "content[0].variables.discount_code");
        assertThat(problems)
                .extracting(FlowProblem::message)
                .anySatisfy(m -> assertThat(m).contains("'Discount-Code'", "lower_snake_case"))
                .anySatisfy(m -> assertThat(m).contains("missing value"));
    }

    @Test
    void unknownPatternIsRefusedNamingTheKnownOnes() {
        FlowProblem p = problemsOf(flow("f3", "trigger: {pattern: cart_forgotten}")).get(0);
        assertThat(p.field()).isEqualTo("trigger.pattern");
        assertThat(p.message())
                .contains("unknown pattern 'cart_forgotten'")
                .contains("cart_abandoned, cart_reminder_due, browse_abandoned");
    }

    @Test
    void unknownSegmentIsRefusedInTriggersAndRules() {
        List<FlowProblem> problems =
                problemsOf(
                        flow("f4", "trigger: {segment_entered: lapsed}")
                                + flow(
                                        "f5",
                                        "trigger: {segment_exited: frequent_buyers}",
                                        "conditions: [\"in_segment('vip')\"]"));
        assertThat(problems)
                .extracting(FlowProblem::toString)
                .containsExactly(
                        "flow 'f4' trigger.segment_entered: unknown segment 'lapsed'",
                        "flow 'f5' conditions[0] at 1:12: unknown segment 'vip' in in_segment");
    }

    @Test
    void segmentIdsAreCheckedAgainstTheGivenSegmentsOrNotAtAll() throws Exception {
        String yaml = flow("f", "trigger: {segment_entered: vip}");
        SegmentDefinitions vip =
                new SegmentDefinitions(
                        1,
                        List.of(new SegmentDefinition("vip", "VIP", null, "orders_90d > 9", null)));
        assertThat(problemsOf(yaml)).hasSize(1);
        assertThat(compiler.withSegments(vip).compile("version: 1\nflows:\n" + yaml).flows())
                .hasSize(1);
        assertThat(compiler.withSegments(null).compile("version: 1\nflows:\n" + yaml).flows())
                .hasSize(1);
        assertThat(
                        problemsOf(
                                compiler.withSegments(vip),
                                flow("g", "trigger: {segment_entered: lapsed_customers}")))
                .extracting(FlowProblem::message)
                .containsExactly("unknown segment 'lapsed_customers'");
    }

    @Test
    void unknownModelAndNonLiteralModelAreRefused() throws Exception {
        List<FlowProblem> problems =
                problemsOf(
                        flow(
                                "f6",
                                "conditions: [\"score('churn') > 0.5\", \"score(loyalty_tier) >"
                                        + " 0.5\"]"));
        assertThat(problems)
                .extracting(FlowProblem::field)
                .containsExactly("conditions[0]", "conditions[1]");
        assertThat(problems.get(0).message())
                .contains("unknown model 'churn' in score")
                .contains("churn_risk");
        assertThat(problems.get(1).message()).contains("score needs a literal model name");
        String custom = flow("f", "conditions: [\"score('my_model') > 0.5\"]");
        assertThat(
                        compiler.withModels(Set.of("my_model"))
                                .compile("version: 1\nflows:\n" + custom)
                                .flows()
                                .get(0)
                                .modelsRead())
                .containsExactly("my_model");
        assertThat(compiler.withModels(null).compile("version: 1\nflows:\n" + custom).flows())
                .hasSize(1);
    }

    @Test
    void viewedProductIsRefusedWithAHint() {
        FlowProblem p =
                problemsOf(flow("f7", "conditions: [\"viewed_product('p1', duration('24h'))\"]"))
                        .get(0);
        assertThat(p.message()).contains("viewed_product").contains("recently_viewed_products");
    }

    @Test
    void invalidDurationLiteralIsRefused() {
        FlowProblem p =
                problemsOf(
                                flow(
                                        "f8",
                                        "conditions: [\"as_of - last_purchase_at >"
                                                + " duration('7d')\"]"))
                        .get(0);
        assertThat(p.message()).contains("invalid duration '7d'").contains("168h");
    }

    @Test
    void triggerMustBeExactlyOne() {
        List<FlowProblem> problems =
                problemsOf(
                        "  - id: none\n    endpoint: esp\n    template: t\n"
                                + flow(
                                        "two",
                                        "trigger: {pattern: cart_abandoned, condition:"
                                                + " \"cart_items > 0\"}")
                                + flow("empty", "trigger: {}"));
        assertThat(problems)
                .extracting(FlowProblem::toString)
                .containsExactly(
                        "flow 'none' trigger: no trigger: give one of pattern, segment_entered,"
                                + " segment_exited, condition",
                        "flow 'two' trigger: more than one trigger (pattern, condition): a flow"
                                + " has exactly one",
                        "flow 'empty' trigger: no trigger: give one of pattern,"
                                + " segment_entered, segment_exited, condition");
    }

    @Test
    void everyProblemOfSeveralBrokenFlowsIsListedWithFlowAndField() {
        String yaml =
                flow("ok")
                        + flow("dup")
                        + flow("dup")
                        + flow("cool", "cooldown: -2d", "reentry: twice")
                        + flow("bad_cool", "cooldown: soon")
                        + "  - id: nowhere\n    trigger: {pattern: browse_abandoned}\n"
                        + "  - trigger: {pattern: cart_abandoned}\n    endpoint: esp\n"
                        + "    template: t\n"
                        + flow(
                                "exp",
                                "experiment:",
                                "  holdout: 1.0",
                                "  variants:",
                                "    - {id: a, weight: 0}",
                                "    - {id: a, weight: -1}",
                                "    - {id: holdout, weight: 1}",
                                "    - {id: c}")
                        + flow("exp2", "experiment: {id: e2, holdout: -0.1}")
                        + flow("content", "content: [{when: \"cart_items > 0\"}, {blocks: [\"\"]}]")
                        + flow("blank", "conditions: [\"\"]");
        List<FlowProblem> problems = problemsOf(yaml);
        assertThat(problems)
                .extracting(FlowProblem::toString)
                .containsExactly(
                        "flow 'dup' id: duplicate id",
                        "flow 'cool' cooldown: negative cooldown '-2d'",
                        "flow 'cool' reentry: unknown re-entry rule 'twice' (once or"
                                + " after_cooldown)",
                        "flow 'bad_cool' cooldown: invalid cooldown 'soon' (e.g. 7d, 16h,"
                                + " 1d12h, 30m, 0 or PT16H)",
                        "flow 'nowhere' endpoint: missing endpoint",
                        "flow 'nowhere' template: missing template",
                        "flow 'flows[6]' id: missing id",
                        "flow 'exp' experiment.id: missing experiment id",
                        "flow 'exp' experiment.holdout: holdout 1.0 is outside [0, 1)",
                        "flow 'exp' experiment.variants[0].weight: weight 0.0 is not positive",
                        "flow 'exp' experiment.variants[1].id: duplicate variant id 'a'",
                        "flow 'exp' experiment.variants[1].weight: weight -1.0 is not positive",
                        "flow 'exp' experiment.variants[2].id: 'holdout' is reserved for"
                                + " held-out customers; set holdout: 0.1 instead",
                        "flow 'exp' experiment.variants[3].weight: missing weight",
                        "flow 'exp2' experiment.holdout: holdout -0.1 is outside [0, 1)",
                        "flow 'exp2' experiment.variants: no variants (give at least one, with"
                                + " a positive weight)",
                        "flow 'content' content[0].blocks: no blocks (a rule that only ends the"
                                + " list says stop: true)",
                        "flow 'content' content[1].blocks[0]: missing block id",
                        "flow 'blank' conditions[0]: empty rule");
    }

    @Test
    void malformedFileIsOneProblemNamingTheUnknownKey() {
        List<FlowProblem> problems = problemsOf(flow("f", "prority: 3"));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).flowId()).isEqualTo("*");
        assertThat(problems.get(0).message()).contains("prority");
    }

    @Test
    void cooldownsTakeDaysHoursMinutesAndIsoForms() {
        assertThat(FlowDurations.parse("7d")).contains(Duration.ofDays(7));
        assertThat(FlowDurations.parse("16h")).contains(Duration.ofHours(16));
        assertThat(FlowDurations.parse("1d12h")).contains(Duration.ofHours(36));
        assertThat(FlowDurations.parse("30m")).contains(Duration.ofMinutes(30));
        assertThat(FlowDurations.parse("30min")).contains(Duration.ofMinutes(30));
        assertThat(FlowDurations.parse("2w")).contains(Duration.ofDays(14));
        assertThat(FlowDurations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(FlowDurations.parse("0")).contains(Duration.ZERO);
        assertThat(FlowDurations.parse("PT16H")).contains(Duration.ofHours(16));
        assertThat(FlowDurations.parse("P7D")).contains(Duration.ofDays(7));
        assertThat(FlowDurations.parse("-1d")).contains(Duration.ofDays(-1));
        assertThat(FlowDurations.parse("7 days")).isEmpty();
        assertThat(FlowDurations.parse("1.5h")).isEmpty();
        assertThat(FlowDurations.parse("")).isEmpty();
    }
}
