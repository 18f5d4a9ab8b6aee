package io.personalize.core.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.core.decisions.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowDefinitionsTest {

    @Test
    void defaultsReadWithEveryField() {
        FlowDefinitions defaults = FlowDefinitions.defaults();
        assertThat(defaults.version()).isEqualTo(1);
        FlowDefinition winBack =
                defaults.flows().stream()
                        .filter(f -> f.id().equals("win_back"))
                        .findFirst()
                        .orElseThrow();
        assertThat(winBack.name()).isEqualTo("Win-back for Lapsed Customers");
        assertThat(winBack.trigger()).isEqualTo(FlowTrigger.segmentEntered("lapsed_customers"));
        assertThat(winBack.trigger().kinds()).containsExactly(Trigger.SEGMENT_ENTERED);
        assertThat(winBack.conditions()).containsExactly("orders_60d == 0");
        assertThat(winBack.priority()).isEqualTo(40);
        assertThat(winBack.cooldown()).isEqualTo("30d");
        assertThat(winBack.reentry()).isEqualTo(FlowDefinition.AFTER_COOLDOWN);
        assertThat(winBack.endpoint()).isEqualTo("esp");
        assertThat(winBack.template()).isEqualTo("tpl_win_back");
        assertThat(winBack.content())
                .containsExactly(
                        new ContentRule(
                                "size(top_categories) > 0", List.of("top_category_picks"), false),
                        new ContentRule(null, List.of("latest_products"), false));
        assertThat(winBack.experiment())
                .isEqualTo(
                        new Experiment(
                                "win_back_offer",
                                0.1,
                                List.of(
                                        new Variant("discount", 1.0, "tpl_win_back_discount"),
                                        new Variant("reminder", 1.0, null))));
    }

    @Test
    void yamlRoundTripGivesEqualDefinitionsAndFlows() throws Exception {
        FlowDefinitions defaults = FlowDefinitions.defaults();
        String yaml = defaults.toYaml();
        assertThat(yaml).contains("segment_entered: lapsed_customers").doesNotContain("null");
        FlowDefinitions read = FlowDefinitions.parse(yaml);
        assertThat(read).isEqualTo(defaults);
        assertThat(FlowCompiler.standard().compile(yaml))
                .isEqualTo(FlowCompiler.standard().compile(defaults));
    }

    @Test
    void minimalFlowRoundTripsWithItsDefaults() {
        FlowDefinitions minimal =
                FlowDefinitions.parse(
                        """
                        version: 7
                        flows:
                          - id: f
                            trigger: {condition: "orders_30d > 2"}
                            endpoint: esp
                            template: t
                        """);
        FlowDefinition f = minimal.flows().get(0);
        assertThat(f.priority()).isZero();
        assertThat(f.reentry()).isEqualTo("after_cooldown");
        assertThat(f.cooldown()).isNull();
        assertThat(f.conditions()).isEmpty();
        assertThat(f.content()).isEmpty();
        assertThat(f.experiment()).isNull();
        assertThat(FlowDefinitions.parse(minimal.toYaml())).isEqualTo(minimal);
    }

    @Test
    void unknownKeysAndNonFilesAreRefused() {
        assertThatThrownBy(
                        () ->
                                FlowDefinitions.parse(
                                        "version: 1\nflows:\n  - id: f\n    trigger: {segment:"
                                                + " x}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment");
        assertThatThrownBy(() -> FlowDefinitions.parse(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowDefinitions.parse("- just a list"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a flow definitions file");
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flows.yaml");
        Files.writeString(file, FlowDefinitions.defaultsText());
        assertThat(FlowDefinitions.load(file)).isEqualTo(FlowDefinitions.defaults());
    }

    @Test
    void reloadNeedsAHigherVersionWhenTheDefinitionsChanged() throws Exception {
        FlowCompiler compiler = FlowCompiler.standard();
        CompiledFlows serving = compiler.compile(FlowDefinitions.defaults());
        String text = FlowDefinitions.defaultsText();
        CompiledFlows unchanged = compiler.compile(text);
        CompiledFlows changedSameVersion =
                compiler.compile(text.replace("priority: 80", "priority: 85"));
        CompiledFlows changedNewVersion =
                compiler.compile(
                        text.replace("priority: 80", "priority: 85")
                                .replace("version: 1", "version: 2"));
        assertThat(serving.reloadProblem(unchanged)).isEmpty();
        assertThat(serving.reloadProblem(changedSameVersion))
                .hasValue(
                        "flow definitions changed but their version 1 is not above the serving"
                                + " version 1; raise version to apply them");
        assertThat(serving.reloadProblem(changedNewVersion)).isEmpty();
        assertThat(changedNewVersion.flow("abandoned_cart").orElseThrow().priority()).isEqualTo(85);
    }

    @Test
    void compiledFlowsSerializeAsTheirDefinitionsAndWorkWhenRead() throws Exception {
        CompiledFlows compiled = FlowCompiler.standard().compile(FlowDefinitions.defaults());
        CompiledFlows copy = (CompiledFlows) ExperimentAssignmentTest.roundTrip(compiled);
        assertThat(copy).isEqualTo(compiled);
        assertThat(copy.version()).isEqualTo(1);
        Flow loyalty = copy.flow("loyalty_appreciation").orElseThrow();
        var features = FlowEvaluationTest.features();
        features.segments = List.of("frequent_buyers");
        assertThat(loyalty.contentBlocks(features, Map.of()))
                .containsExactly("loyalty_banner", "exclusive_discount");
        assertThat(loyalty.featuresRead())
                .isEqualTo(compiled.flow("loyalty_appreciation").get().featuresRead());
    }
}
