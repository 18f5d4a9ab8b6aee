package io.personalize.models;

import static io.personalize.models.testing.TestModels.golden;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.personalize.models.ModelCard.Golden;
import io.personalize.models.ModelCard.Inputs;
import io.personalize.models.ModelCard.Output;
import io.personalize.models.ModelCard.OutputKind;
import io.personalize.models.testing.OnnxGraph;
import io.personalize.models.testing.TestModels;
import io.personalize.models.testing.TestModels.TestModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses a model whose card does not describe it, naming the mismatch. */
class ModelValidationTest {

    private static ModelException refused(byte[] onnx, ModelCard card) {
        return catchThrowableOfType(
                ModelException.class, () -> OnnxModel.load(onnx, card, 1).close());
    }

    private static ModelCard with(ModelCard c, Inputs inputs) {
        return new ModelCard(
                c.name(),
                c.version(),
                c.task(),
                c.description(),
                inputs,
                c.output(),
                c.labels(),
                c.threshold(),
                c.defaults(),
                c.training(),
                c.golden(),
                c.tolerance());
    }

    private static ModelCard with(ModelCard c, Output output) {
        return new ModelCard(
                c.name(),
                c.version(),
                c.task(),
                c.description(),
                c.inputs(),
                output,
                c.labels(),
                c.threshold(),
                c.defaults(),
                c.training(),
                c.golden(),
                c.tolerance());
    }

    private static ModelCard with(ModelCard c, List<Golden> golden, Map<String, ?> defaults) {
        return new ModelCard(
                c.name(),
                c.version(),
                c.task(),
                c.description(),
                c.inputs(),
                c.output(),
                c.labels(),
                c.threshold(),
                defaults,
                c.training(),
                golden,
                c.tolerance());
    }

    @Test
    void wrongInputNameIsRefusedNamingTheModelsInputs() {
        TestModel m = TestModels.logistic();
        ModelCard card = with(m.card(), new Inputs("float_input", null, m.card().features()));

        ModelException e = refused(m.onnx(), card);

        assertThat(e.getMessage())
                .startsWith("model propensity 1: ")
                .contains("input 'float_input' not in the model (it has: features)");
    }

    @Test
    void cardListingThreeFeaturesForAFourColumnInputIsRefused() {
        TestModel m = TestModels.scalerTreeRegressor();
        List<String> three = List.of("orders_30d", "revenue_90d", "engagement_score");
        ModelCard card =
                with(
                        with(m.card(), new Inputs("input", null, three)),
                        List.of(golden(15, null, "orders_30d", 1)),
                        Map.of());

        ModelException e = refused(m.onnx(), card);

        assertThat(e.problems())
                .containsExactly("input 'input' has 4 columns, the card lists 3 features");
    }

    @Test
    void unknownFeatureIsRefusedByName() {
        TestModel m = TestModels.logistic();
        ModelCard card =
                with(
                        m.card(),
                        new Inputs(
                                "features",
                                null,
                                List.of("orders_30d", "revenue_91d", "days_since_last_purchase")));

        ModelException e = refused(m.onnx(), card);

        assertThat(e.getMessage())
                .contains("unknown feature 'revenue_91d' (not in the feature registry)");
    }

    @Test
    void nullableFeatureWithoutDefaultIsRefused() {
        TestModel m = TestModels.logistic();
        ModelCard card = with(m.card(), m.card().golden(), Map.of());

        ModelException e = refused(m.onnx(), card);

        assertThat(e.getMessage())
                .contains("feature 'days_since_last_purchase' can be missing and has no default");
    }

    @Test
    void goldenExampleTheModelDoesNotReproduceIsRefusedWithBothScores() {
        TestModel m = TestModels.logistic();
        double actual = TestModels.logisticScore(2, 120.5, 3);
        ModelCard card =
                with(
                        m.card(),
                        List.of(
                                m.card().golden().get(0),
                                golden(
                                        0.5,
                                        null,
                                        "orders_30d",
                                        2,
                                        "revenue_90d",
                                        120.5,
                                        "days_since_last_purchase",
                                        3)),
                        m.card().defaults());

        ModelException e = refused(m.onnx(), card);

        assertThat(e.problems()).hasSize(1);
        Matcher problem =
                Pattern.compile(
                                "golden example 2 scores (\\S+), the card expects 0.5 \\(tolerance"
                                        + " absolute 1.0E-5, relative 0.0; .*"
                                        + "intra_op_num_threads=1.*\\)")
                        .matcher(e.problems().get(0));
        assertThat(problem.matches()).as(e.problems().get(0)).isTrue();
        assertThat(Double.parseDouble(problem.group(1))).isCloseTo(actual, within(1e-6));
    }

    @Test
    void goldenExampleWithAnotherLabelIsRefused() {
        TestModel m = TestModels.treeClassifier(true);
        ModelCard card =
                with(
                        m.card(),
                        List.of(golden(0.7, "2", "product_views_7d", 3, "engagement_score", 0.2)),
                        Map.of());

        ModelException e = refused(m.onnx(), card);

        assertThat(e.problems())
                .containsExactly("golden example 1 is labelled 1, the card expects 2");
    }

    @Test
    void outputNameTheModelDoesNotHaveIsRefusedListingItsOutputs() {
        TestModel m = TestModels.linearClassifierZipMap();
        ModelCard card = with(m.card(), new Output("probabilities", OutputKind.PROBABILITY_MAP));

        ModelException e = refused(m.onnx(), card);

        assertThat(e.problems())
                .containsExactly(
                        "output 'probabilities' not in the model (it has: output_label,"
                                + " output_probability)");
    }

    @Test
    void outputKindThatDoesNotMatchTheOutputsTypeIsRefused() {
        TestModel tensor = TestModels.logistic();
        ModelException mapOfATensor =
                refused(
                        tensor.onnx(),
                        with(
                                tensor.card(),
                                new Output("probabilities", OutputKind.PROBABILITY_MAP)));
        assertThat(mapOfATensor.getMessage())
                .contains("output 'probabilities' is ")
                .contains("not a sequence of maps (ZipMap)");

        TestModel zipMap = TestModels.linearClassifierZipMap();
        ModelException tensorOfAMap =
                refused(
                        zipMap.onnx(),
                        with(
                                zipMap.card(),
                                new Output("output_probability", OutputKind.PROBABILITIES)));
        assertThat(tensorOfAMap.getMessage())
                .contains("output 'output_probability' is ")
                .contains("not a float tensor of probabilities")
                .contains("declare kind: probability_map");
    }

    @Test
    void aRelativeToleranceAcceptsAGoldenScoreOffInItsLastDigits() throws Exception {
        TestModel m = TestModels.logistic();
        double actual = TestModels.logisticScore(2, 120.5, 3);
        List<Golden> offBy1e4 =
                List.of(
                        golden(
                                actual * (1 + 1e-4),
                                null,
                                "orders_30d",
                                2,
                                "revenue_90d",
                                120.5,
                                "days_since_last_purchase",
                                3));
        ModelCard strict = with(m.card(), offBy1e4, m.card().defaults());
        assertThat(refused(m.onnx(), strict).getMessage()).contains("golden example 1 scores");

        ModelCard relative = withTolerance(strict, new ModelCard.Tolerance(null, 1e-3), null);
        OnnxModel.load(m.onnx(), relative, 1).close();
    }

    @Test
    void goldenScoresAreCheckedWithTheThreadCountTheCardStates() throws Exception {
        TestModel m = TestModels.logistic();
        OnnxModel.load(m.onnx(), withTolerance(m.card(), m.card().tolerance(), 2), 1).close();

        assertThat(refused(m.onnx(), withTolerance(m.card(), m.card().tolerance(), 0)).problems())
                .contains("golden_threads must be 1 or more");
    }

    private static ModelCard withTolerance(
            ModelCard c, ModelCard.Tolerance tolerance, Integer goldenThreads) {
        return new ModelCard(
                c.name(),
                c.version(),
                c.task(),
                c.description(),
                c.inputs(),
                c.output(),
                c.labels(),
                c.threshold(),
                c.defaults(),
                c.training(),
                c.golden(),
                tolerance,
                goldenThreads);
    }

    @Test
    void probabilitiesWithMoreClassesThanTheCardHasLabelsAreRefused() {
        TestModel m = TestModels.treeClassifier(false);
        ModelCard c = m.card();
        ModelCard card =
                new ModelCard(
                        c.name(),
                        c.version(),
                        c.task(),
                        null,
                        c.inputs(),
                        c.output(),
                        List.of("1", "2", "3", "4"),
                        null,
                        null,
                        null,
                        c.golden(),
                        null);

        ModelException e = refused(m.onnx(), card);

        assertThat(e.problems())
                .containsExactly("output 'probabilities' has 5 classes, the card has 4 labels");
    }

    @Test
    void zipMapLabelsThatDoNotMatchTheCardsLabelsAreRefused() {
        TestModel m = TestModels.treeClassifier(true);
        ModelCard c = m.card();

        // labels by position 0..4 for a model whose classes are 1..5
        ModelException fromZero =
                refused(
                        m.onnx(),
                        new ModelCard(
                                c.name(),
                                c.version(),
                                c.task(),
                                null,
                                c.inputs(),
                                c.output(),
                                List.of("0", "1", "2", "3", "4"),
                                null,
                                null,
                                null,
                                List.of(golden(0.7, null, "product_views_7d", 3)),
                                null));
        assertThat(fromZero.getMessage())
                .contains(
                        "output 'output_probability' has label 5, not in the card's labels [0,"
                                + " 1, 2, 3, 4]");

        ModelException extra =
                refused(
                        m.onnx(),
                        new ModelCard(
                                c.name(),
                                c.version(),
                                c.task(),
                                null,
                                c.inputs(),
                                c.output(),
                                List.of("1", "2", "3", "4", "5", "6"),
                                null,
                                null,
                                null,
                                List.of(golden(0.7, null, "product_views_7d", 3)),
                                null));
        assertThat(extra.getMessage())
                .contains("output 'output_probability' has no probability for label 6");
    }

    @Test
    void outputWiderThanItsDeclaredShapeIsRefusedWhenScored() {
        // declared [N, 1], computed [N, 2]: ONNX Runtime does not check declared output shapes
        OnnxGraph g = new OnnxGraph("wide");
        g.floatInput("input", -1, 2);
        g.initializer("w", new float[] {1f, 0f, 0f, 1f}, 2, 2);
        g.node("MatMul", List.of("input", "w"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        ModelCard card =
                new ModelCard(
                        "wide",
                        "1",
                        ModelCard.Task.REGRESSION,
                        null,
                        new Inputs("input", null, List.of("orders_30d", "revenue_90d")),
                        new Output("variable", OutputKind.VALUE),
                        null,
                        null,
                        null,
                        null,
                        List.of(
                                golden(1, null, "orders_30d", 1, "revenue_90d", 9),
                                golden(2, null, "orders_30d", 2, "revenue_90d", 8)),
                        null);

        ModelException e = refused(g.toBytes(), card);

        assertThat(e.getMessage())
                .contains("model wide 1")
                .contains("output 'variable' has 4 values for 2 rows");
    }

    @Test
    void fileThatIsNotOnnxIsRefused(@TempDir Path dir) throws Exception {
        TestModel m = TestModels.logistic();
        Path file = m.write(dir, "propensity");
        Files.writeString(file, "not a model", StandardCharsets.UTF_8);

        ModelException e =
                catchThrowableOfType(ModelException.class, () -> OnnxModel.load(file, 1).close());

        assertThat(e.getMessage()).startsWith("model propensity 1: ONNX Runtime cannot load it");
    }
}
