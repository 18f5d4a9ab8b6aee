package io.personalize.models.training;

import io.personalize.core.features.FeatureConfig;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.training.PointInTime;
import io.personalize.core.training.PointInTime.Snapshot;
import io.personalize.models.ModelCard;
import io.personalize.models.training.Splits.Part;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One training run: the generated data, the point-in-time snapshots, the customer splits, and the
 * models trained on them. Everything follows from {@link Settings}: the same settings give the same
 * files.
 */
public final class TrainingRun {
    /** Days of generated data; the snapshots and their 90-day outcome windows fit in it. */
    static final int SPAN_DAYS = 270;

    /** Snapshot times, days after the start: 90 days of history before the first. */
    static final List<Integer> SNAPSHOT_DAYS = List.of(90, 120, 150, 180);

    /** Lines per customer over 150 days at the generator's reference intensity. */
    private static final double LINES_PER_CUSTOMER_PER_150_DAYS = 80;

    /**
     * What a run depends on.
     *
     * @param seed the seed of the data, the splits and every model
     * @param customers about how many customers the data has
     * @param folds cross-validation folds
     * @param maxRounds most boosting rounds
     */
    public record Settings(long seed, int customers, int folds, int maxRounds) {
        public static Settings defaults() {
            return new Settings(42, 4000, 3, 300);
        }

        /** The command line that reproduces this run. */
        public String command() {
            return String.format(
                    Locale.ROOT,
                    "models/train --seed %d --customers %d --folds %d --max-rounds %d",
                    seed,
                    customers,
                    folds,
                    maxRounds);
        }
    }

    private final Settings settings;
    private final DemoDataGenerator.Settings data;
    private final long lines;
    private final CustomerHistories histories;
    private final List<Long> times;
    private final List<Snapshot> snapshots;
    private final Splits splits;

    private TrainingRun(Settings settings) {
        this.settings = settings;
        int hint =
                (int) Math.round(LINES_PER_CUSTOMER_PER_150_DAYS * SPAN_DAYS / 150.0); // same pace
        this.data =
                DemoDataGenerator.defaults()
                        .withSeed(settings.seed())
                        .withSpan(Duration.ofDays(SPAN_DAYS))
                        .withEventsPerCustomerHint(hint);
        this.lines = (long) settings.customers() * hint;
        this.histories = CustomerHistories.generate(data, lines);
        long start = data.start().toEpochMilli();
        this.times = new ArrayList<>();
        for (int day : SNAPSHOT_DAYS) {
            times.add(start + Duration.ofDays(day).toMillis());
        }
        this.snapshots =
                PointInTime.snapshots(histories.byCustomer(), times, FeatureConfig.defaults());
        this.splits =
                new Splits(
                        snapshots.stream().map(Snapshot::customerKey).toList(),
                        settings.folds(),
                        settings.seed());
    }

    /** Generates the data and builds the snapshots and splits. */
    public static TrainingRun prepare(Settings settings) {
        return new TrainingRun(settings);
    }

    public Settings settings() {
        return settings;
    }

    public List<Snapshot> snapshots() {
        return snapshots;
    }

    public Splits splits() {
        return splits;
    }

    public CustomerHistories histories() {
        return histories;
    }

    /** What the data was, for every card. */
    Map<String, Object> dataSection() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("generator", DemoDataGenerator.class.getName());
        d.put("seed", data.seed());
        d.put("start", data.start().toString());
        d.put("span_days", SPAN_DAYS);
        d.put("lines", lines);
        d.put("malformed_share", data.malformedShare());
        CustomerHistories.Stats stats = histories.stats();
        d.put(
                "events",
                ordered(
                        "kept", stats.kept(),
                        "invalid", stats.invalid(),
                        "duplicates", stats.duplicates(),
                        "anonymous", stats.anonymous()));
        d.put("customers", histories.byCustomer().size());
        List<String> at = new ArrayList<>();
        for (long t : times) {
            at.add(Instant.ofEpochMilli(t).toString());
        }
        d.put("snapshot_times", at);
        d.put(
                "features",
                "as of each snapshot time t, by FeatureEngine (FeatureConfig.defaults()) over the"
                        + " customer's events up to and including t; outcomes from events after t");
        return d;
    }

    /** Rows per part of some snapshots, with the label's mean. */
    Map<String, Object> splitSection(List<Snapshot> rows, ToDoubleFunction<Snapshot> label) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("by", "customer (70/15/15), seed " + settings.seed());
        for (Part part : Part.values()) {
            List<Snapshot> in = splits.select(rows, Snapshot::customerKey, part);
            double sum = 0;
            for (Snapshot snapshot : in) {
                sum += label.applyAsDouble(snapshot);
            }
            s.put(
                    part.name().toLowerCase(Locale.ROOT),
                    ordered(
                            "customers", Splits.customers(in, Snapshot::customerKey),
                            "rows", in.size(),
                            "label_mean", Metrics.round(in.isEmpty() ? 0 : sum / in.size(), 4)));
        }
        s.put("cv_folds", settings.folds());
        return s;
    }

    // ---- the gradient-boosted models ----

    /** Will the customer order in the next 30 days? */
    public TrainedModel purchasePropensity() throws XGBoostError {
        return boosted(
                "purchase_propensity",
                "Probability that the customer places an order in the next 30 days (gradient-boosted"
                        + " trees, XGBoost).",
                s -> true,
                "every known customer with an event at or before t",
                s -> s.outcome().orders30d() > 0 ? 1 : 0,
                "1 when the customer places at least one new order in (t, t + 30 d]",
                XgbTrainer.Kind.BINARY);
    }

    /** Will a buyer not order in the next 60 days? */
    public TrainedModel churnRisk() throws XGBoostError {
        return boosted(
                "churn_risk",
                "Probability that a customer who has bought before places no order in the next 60"
                        + " days (gradient-boosted trees, XGBoost).",
                s -> s.features().lifetimeOrders >= 1,
                "customers with at least one order at or before t (churn needs a purchase to"
                        + " lapse from)",
                s -> s.outcome().orders60d() == 0 ? 1 : 0,
                "1 when the customer places no new order in (t, t + 60 d]",
                XgbTrainer.Kind.BINARY);
    }

    /** Net revenue in the next 90 days. */
    public TrainedModel customerLtv() throws XGBoostError {
        return boosted(
                "customer_ltv",
                "Expected net revenue of the customer in the next 90 days, in the shop's currency"
                        + " (gradient-boosted regression trees, XGBoost).",
                s -> true,
                "every known customer with an event at or before t",
                s -> s.outcome().netRevenue90d(),
                "net revenue booked in (t, t + 90 d]: orders less cancellations and refunds, as"
                        + " the feature engine's lifetime_revenue changes over the window",
                XgbTrainer.Kind.REGRESSION);
    }

    private TrainedModel boosted(
            String name,
            String description,
            Predicate<Snapshot> population,
            String populationText,
            ToDoubleFunction<Snapshot> label,
            String labelText,
            XgbTrainer.Kind kind)
            throws XGBoostError {
        FeatureSet features = FeatureSet.missingAsNaN(FeatureSet.BEHAVIOUR);
        List<Snapshot> rows = snapshots.stream().filter(population).toList();
        List<XgbTrainer.Data> folds = new ArrayList<>();
        for (int f = 0; f < settings.folds(); f++) {
            folds.add(data(features, splits.fold(rows, Snapshot::customerKey, f, true), label));
        }
        XgbTrainer.Data train = data(features, part(rows, Part.TRAIN), label);
        XgbTrainer.Data validation = data(features, part(rows, Part.VALIDATION), label);
        List<Snapshot> testRows = part(rows, Part.TEST);
        XgbTrainer.Data test = data(features, testRows, label);

        XgbTrainer.Settings xgb =
                XgbTrainer.Settings.defaults(settings.seed()).withMaxRounds(settings.maxRounds());
        XgbTrainer.Result result = new XgbTrainer(kind, xgb).train(folds, train, validation, test);
        Booster booster = result.booster();
        boolean binary = kind == XgbTrainer.Kind.BINARY;
        var proto =
                binary
                        ? XgboostOnnx.classifier(booster, name)
                        : XgboostOnnx.regressor(booster, name);
        float baseScore = XgboostOnnx.read(booster).baseScore();
        booster.dispose();

        // regression values are money (up to thousands): float32 sums agree to about a cent
        double tolerance = binary ? 1e-5 : 1e-2;
        List<String> labels = binary ? List.of("0", "1") : List.of();
        List<ModelCard.Golden> golden = new ArrayList<>();
        for (int i : TrainedModel.goldenRows(test.x(), result.testPredictions(), binary, 5)) {
            float p = result.testPredictions()[i];
            golden.add(
                    new ModelCard.Golden(
                            features.knownValues(testRows.get(i).features()),
                            p,
                            binary ? labels.get(p >= 0.5f ? 1 : 0) : null));
        }

        String metric = kind.metric();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("trained_by", settings.command());
        training.put("data", dataSection());
        training.put("population", populationText);
        training.put("label", labelText);
        training.put("splits", splitSection(rows, label));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("library", "xgboost4j_2.12 " + xgboostVersion());
        model.put("params", xgb.describe(kind, result.depth(), result.rounds()));
        model.put("base_score", (double) baseScore);
        training.put("model", model);
        Map<String, Object> cv = new LinkedHashMap<>();
        for (Map.Entry<Integer, Double> e : result.cvScoreByDepth().entrySet()) {
            cv.put(
                    String.valueOf(e.getKey()),
                    ordered(
                            metric,
                            Metrics.round(e.getValue(), 4),
                            "rounds",
                            result.cvRoundsByDepth().get(e.getKey())));
        }
        training.put(
                "hyperparameter",
                ordered(
                        "name",
                        "max_depth",
                        "searched",
                        xgb.depths(),
                        "cross_validation",
                        cv,
                        "chosen",
                        result.depth()));
        training.put(
                "rounds",
                ordered(
                        "chosen_on",
                        "validation, every " + xgb.roundStep() + " rounds up to " + xgb.maxRounds(),
                        "chosen",
                        result.rounds()));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("cv_" + metric, Metrics.round(result.cvScoreByDepth().get(result.depth()), 4));
        metrics.put("validation_" + metric, Metrics.round(result.validationScore(), 4));
        metrics.put("test_" + metric, Metrics.round(result.testScore(), 4));
        if (!binary) {
            metrics.put(
                    "test_rmse_of_train_mean",
                    Metrics.round(
                            Metrics.rmse(constant(test.rows(), Metrics.mean(train.y())), test.y()),
                            4));
        }
        training.put("metrics", metrics);
        training.put(
                "onnx",
                ordered(
                        "converter",
                        XgboostOnnx.class.getName() + " (ai.onnx.ml TreeEnsemble)",
                        "checked",
                        String.format(
                                Locale.ROOT,
                                "ONNX Runtime matches booster.predict on all %d test rows within"
                                        + " %s + 1e-6 x value",
                                test.rows(),
                                tolerance)));

        ModelCard card =
                new ModelCard(
                        name,
                        "1",
                        binary ? ModelCard.Task.BINARY_CLASSIFICATION : ModelCard.Task.REGRESSION,
                        description,
                        features.inputs(XgboostOnnx.INPUT),
                        new ModelCard.Output(
                                binary ? XgboostOnnx.PROBABILITIES : XgboostOnnx.VALUE,
                                binary
                                        ? ModelCard.OutputKind.PROBABILITIES
                                        : ModelCard.OutputKind.VALUE),
                        labels,
                        null,
                        features.defaults(),
                        training,
                        golden,
                        ModelCard.Tolerance.absolute(tolerance));
        String summary =
                String.format(
                        Locale.ROOT,
                        "%s: max_depth %d (cv %s %.4f), %d rounds, validation %s %.4f, test %s %.4f",
                        name,
                        result.depth(),
                        metric,
                        result.cvScoreByDepth().get(result.depth()),
                        result.rounds(),
                        metric,
                        result.validationScore(),
                        metric,
                        result.testScore());
        return new TrainedModel(
                card,
                proto.toByteArray(),
                List.of(test.x()),
                result.testPredictions(),
                tolerance,
                summary);
    }

    List<Snapshot> part(List<Snapshot> rows, Part part) {
        return splits.select(rows, Snapshot::customerKey, part);
    }

    static XgbTrainer.Data data(
            FeatureSet features, List<Snapshot> rows, ToDoubleFunction<Snapshot> label) {
        float[] y = new float[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) label.applyAsDouble(rows.get(i));
        }
        return new XgbTrainer.Data(features.rows(rows), y);
    }

    private static float[] constant(int n, double value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, (float) value);
        return out;
    }

    /** A map in the order of its key-value arguments. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static String xgboostVersion() {
        try (InputStream in = XGBoost.class.getResourceAsStream("/xgboost4j-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
