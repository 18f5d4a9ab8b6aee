package io.personalize.job.scoring;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.models.ModelCard;
import io.personalize.models.ModelCards;
import io.personalize.models.testing.OnnxGraph;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes small logistic-regression models (standard ONNX operators, probabilities [N, 2]) with
 * their cards and a registry into a folder, and computes their scores independently.
 */
public final class LogisticModels {
    static final List<String> FEATURES =
            List.of("orders_30d", "engagement_score", "days_since_last_purchase");
    static final double MISSING_DAYS = 365;

    /** Weights of the three features and the bias. */
    public record Weights(double w0, double w1, double w2, double bias) {
        double score(double orders, double engagement, Double days) {
            double z =
                    w0 * orders
                            + w1 * engagement
                            + w2 * (days == null ? MISSING_DAYS : days)
                            + bias;
            return 1 / (1 + Math.exp(-z));
        }

        double score(CustomerFeatures f) {
            return score(
                    f.orders30d,
                    f.engagementScore,
                    f.daysSinceLastPurchase == null ? null : f.daysSinceLastPurchase.doubleValue());
        }
    }

    public static final Weights V1 = new Weights(0.5, 1.0, -0.01, -1.0);
    static final Weights V2 = new Weights(0.9, 2.0, -0.02, -0.5);
    static final Weights CHALLENGER = new Weights(0.3, 0.5, -0.005, -0.2);

    private LogisticModels() {}

    /** Writes {@code dir/name/version/model.onnx} and its card; a wrong golden score if broken. */
    public static String write(
            Path dir, String name, String version, Weights w, boolean brokenGolden)
            throws IOException {
        String relative = name + "/" + version + "/model.onnx";
        Path model = dir.resolve(relative);
        Files.createDirectories(model.getParent());
        OnnxGraph g = new OnnxGraph("logistic");
        g.floatInput("features", -1, 3);
        g.initializer("w", new float[] {(float) w.w0(), (float) w.w1(), (float) w.w2()}, 3, 1);
        g.initializer("b", new float[] {(float) w.bias()}, 1);
        g.initializer("one", new float[] {1f}, 1);
        g.node("MatMul", List.of("features", "w"), List.of("z0"));
        g.node("Add", List.of("z0", "b"), List.of("z"));
        g.node("Sigmoid", List.of("z"), List.of("p"));
        g.node("Sub", List.of("one", "p"), List.of("q"));
        g.node("Concat", List.of("q", "p"), List.of("probabilities"), OnnxGraph.intAttr("axis", 1));
        g.floatOutput("probabilities", -1, 2);
        g.write(model);
        double golden = w.score(2, 0.5, 10.0);
        ModelCard card =
                new ModelCard(
                        name,
                        version,
                        ModelCard.Task.BINARY_CLASSIFICATION,
                        "test logistic regression",
                        new ModelCard.Inputs("features", null, FEATURES),
                        new ModelCard.Output("probabilities", ModelCard.OutputKind.PROBABILITIES),
                        List.of("0", "1"),
                        null,
                        Map.of("days_since_last_purchase", MISSING_DAYS),
                        Map.of("trained_by", "LogisticModels"),
                        List.of(
                                new ModelCard.Golden(
                                        Map.of(
                                                "orders_30d", 2.0,
                                                "engagement_score", 0.5,
                                                "days_since_last_purchase", 10.0),
                                        brokenGolden ? golden + 0.1 : golden,
                                        null)),
                        ModelCard.Tolerance.absolute(1e-5));
        ModelCards.write(card, ModelCards.cardFor(model));
        return relative;
    }

    /** Writes {@code dir/registry.yaml} naming the given releases. */
    public static Path registry(Path dir, String yaml) throws IOException {
        Path registry = dir.resolve("registry.yaml");
        Files.writeString(registry, yaml, StandardCharsets.UTF_8);
        return registry;
    }

    static CustomerFeatures features(
            String customer, long asOf, long orders, double engagement, Long days) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = customer;
        f.customerId = customer;
        f.asOf = asOf;
        f.orders30d = orders;
        f.engagementScore = engagement;
        f.daysSinceLastPurchase = days;
        return f;
    }
}
