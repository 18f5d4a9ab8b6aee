package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RecordParser;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.job.config.JobSettings;
import io.personalize.models.ModelCard;
import io.personalize.models.ModelCards;
import io.personalize.models.ModelException;
import io.personalize.models.ModelRegistry;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.OnnxModel;
import io.personalize.models.Prediction;
import io.personalize.models.ServingModels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What scoring costs, in one thread, on the bench customers' features: per shipped model version,
 * one ONNX Runtime call per row ({@code batch=1}) against calls of 256 rows, and whether both give
 * the same scores; then all serving models together as the scoring stage runs them (feature vectors
 * included). The fastest of three passes counts.
 */
final class OnnxCost {
    private static final int MAX_CUSTOMERS = 20_000;
    private static final int BATCH = 256;

    private OnnxCost() {}

    static List<String> measure(List<String> lines, JobSettings settings) throws ModelException {
        List<CustomerFeatures> customers = customers(lines, settings);
        // the registry the job scores with: --models, else the shipped one
        String registryPath = settings.models().registryPath();
        ModelRegistryUpdate shipped =
                registryPath == null
                        ? ModelRegistryUpdate.shipped(System.currentTimeMillis())
                        : ModelRegistryUpdate.read(
                                java.nio.file.Path.of(registryPath), System.currentTimeMillis());
        List<String> out = new ArrayList<>();
        if (shipped.text == null) {
            out.add("stage=onnx skipped: " + shipped.error);
            return out;
        }
        ModelRegistry registry = ModelRegistry.parse(shipped.text, shipped.source);
        for (Map.Entry<String, ModelRegistry.Slot> slot : registry.models().entrySet()) {
            for (ModelRegistry.Release release :
                    new ModelRegistry.Release[] {
                        slot.getValue().champion(), slot.getValue().challenger()
                    }) {
                if (release != null) {
                    out.addAll(modelLines(shipped, release, customers));
                }
            }
        }
        try (ServingModels models = new ServingModels(1)) {
            models.apply(shipped);
            double nanos = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long started = System.nanoTime();
                for (int from = 0; from < customers.size(); from += BATCH) {
                    models.score(
                            customers.subList(from, Math.min(customers.size(), from + BATCH)), 0L);
                }
                nanos = Math.min(nanos, (double) (System.nanoTime() - started) / customers.size());
            }
            out.add(
                    String.format(
                            Locale.ROOT,
                            "stage=scoring models=%d batch=%d customers=%d us_per_customer=%.2f",
                            models.versions().size(),
                            BATCH,
                            customers.size(),
                            nanos / 1000));
        }
        return out;
    }

    private static List<String> modelLines(
            ModelRegistryUpdate shipped,
            ModelRegistry.Release release,
            List<CustomerFeatures> customers)
            throws ModelException {
        byte[] cardBytes = shipped.files.get(ModelRegistryUpdate.cardPath(release.path()));
        ModelCard card =
                ModelCards.parse(new String(cardBytes, StandardCharsets.UTF_8), release.path());
        try (OnnxModel model = OnnxModel.load(shipped.files.get(release.path()), card, 1)) {
            List<float[]> rows = new ArrayList<>(customers.size());
            for (CustomerFeatures f : customers) {
                rows.add(model.vectorizer().row(f).values());
            }
            Map<Integer, List<Prediction>> byBatch = new LinkedHashMap<>();
            List<String> out = new ArrayList<>();
            for (int batch : new int[] {1, BATCH}) {
                double nanos = Double.MAX_VALUE;
                List<Prediction> predictions = null;
                for (int round = 0; round < 3; round++) {
                    predictions = new ArrayList<>(rows.size());
                    long started = System.nanoTime();
                    for (int from = 0; from < rows.size(); from += batch) {
                        predictions.addAll(
                                model.score(
                                        rows.subList(from, Math.min(rows.size(), from + batch))));
                    }
                    nanos = Math.min(nanos, (double) (System.nanoTime() - started) / rows.size());
                }
                byBatch.put(batch, predictions);
                out.add(
                        String.format(
                                Locale.ROOT,
                                "stage=onnx model=%s version=%s batch=%d rows=%d us_per_row=%.2f%s",
                                card.name(),
                                card.version(),
                                batch,
                                rows.size(),
                                nanos / 1000,
                                model.fixedBatch() ? " (batch fixed at 1: row by row)" : ""));
            }
            double maxDiff = 0;
            List<Prediction> single = byBatch.get(1);
            List<Prediction> batched = byBatch.get(BATCH);
            for (int i = 0; i < single.size(); i++) {
                maxDiff =
                        Math.max(maxDiff, Math.abs(single.get(i).score() - batched.get(i).score()));
            }
            out.add(
                    String.format(
                            Locale.ROOT,
                            "stage=onnx model=%s version=%s batched_vs_single_max_abs_diff=%s",
                            card.name(),
                            card.version(),
                            maxDiff == 0 ? "0" : String.format(Locale.ROOT, "%.3g", maxDiff)));
            return out;
        }
    }

    /** The latest features of up to {@link #MAX_CUSTOMERS} customers of the bench events. */
    private static List<CustomerFeatures> customers(List<String> lines, JobSettings settings) {
        RecordParser parser = settings.parser(InputFormat.ENVELOPE);
        FeatureEngine engine = new FeatureEngine(settings.features());
        Map<String, CustomerState> states = new LinkedHashMap<>();
        for (String line : lines) {
            ParseResult result = parser.parse(line, "bench", System.currentTimeMillis());
            if (!result.isValid()) {
                continue;
            }
            Event event = result.event();
            String key = event.customerKey();
            CustomerState state = states.get(key);
            if (state == null) {
                if (states.size() == MAX_CUSTOMERS) {
                    continue;
                }
                state = new CustomerState();
                states.put(key, state);
            }
            engine.apply(state, event);
        }
        List<CustomerFeatures> out = new ArrayList<>(states.size());
        states.forEach((key, state) -> out.add(engine.snapshot(state, key, 0L)));
        return out;
    }
}
