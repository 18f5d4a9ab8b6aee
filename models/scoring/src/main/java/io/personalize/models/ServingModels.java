package io.personalize.models;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.scoring.CustomerScore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models that serve, per model name (champion, optional challenger, fallback rule), and their
 * batched scoring. Plain Java: the scoring operator holds one per subtask.
 *
 * <p>{@link #apply} takes a registry reading: each release whose bytes changed is loaded and
 * validated ({@link OnnxModel#load}: card against model, golden examples) before it serves; a
 * release that fails is refused, and what served under that name keeps serving. A registry that
 * does not parse is refused whole.
 *
 * <p>{@link #score} never throws: a champion that is not loaded, fails, or returns NaN gives the
 * fallback rule's score, marked {@code fallback} with the reason. Challengers are scored alongside
 * ({@code shadow}); one that fails gives no row.
 */
public final class ServingModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingModels.class);

    private final int intraOpThreads;
    private FeatureRegistry registry;
    private final Map<String, Slot> slots = new TreeMap<>();
    private String fingerprint;
    private long shadowFailures;

    public ServingModels(int intraOpThreads) {
        this(intraOpThreads, FeatureRegistry.standard());
    }

    /** Models whose cards read the features of {@code registry}. */
    public ServingModels(int intraOpThreads, FeatureRegistry registry) {
        this.intraOpThreads = intraOpThreads;
        this.registry = registry;
    }

    /** A loaded release: its version and the digest of the model and card bytes it came from. */
    private record Loaded(
            String version,
            String path,
            String digest,
            byte[] onnx,
            byte[] card,
            OnnxModel model) {}

    private static final class Slot {
        Loaded champion;
        Loaded challenger;
        String wantedChampionPath;
        FallbackRule fallback = FallbackRule.ZERO;

        /** The version the registry asks for, and why it does not serve (null when it does). */
        String wantedChampion;

        String championProblem;
    }

    /**
     * Loads later releases against {@code next} (the declared features changed while the job runs);
     * what serves stays loaded. The reading applied last is no longer taken as applied, so offered
     * again it loads what {@code next} now lets load (a card naming a feature only {@code next}
     * declares).
     */
    public void withRegistry(FeatureRegistry next) {
        this.registry = next;
        this.fingerprint = null;
    }

    /** The cards of the releases that serve, champions and challengers. */
    public List<ModelCard> cards() {
        List<ModelCard> cards = new ArrayList<>();
        for (Slot slot : slots.values()) {
            for (Loaded loaded : new Loaded[] {slot.champion, slot.challenger}) {
                if (loaded != null) {
                    cards.add(loaded.model().card());
                }
            }
        }
        return cards;
    }

    /** The fingerprint of the reading applied last; null before the first. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Applies a registry reading.
     *
     * @return the refusals, each naming the model and the problem; empty when everything loaded
     */
    public List<String> apply(ModelRegistryUpdate update) {
        if (!update.hasContent() || Objects.equals(update.fingerprint, fingerprint)) {
            return List.of();
        }
        fingerprint = update.fingerprint;
        if (update.text == null) {
            return List.of(update.error);
        }
        ModelRegistry registry;
        try {
            registry = ModelRegistry.parse(update.text, update.source);
        } catch (ModelException e) {
            return List.of(e.getMessage());
        }
        List<String> refusals = new ArrayList<>();
        for (String name : List.copyOf(slots.keySet())) {
            if (!registry.models().containsKey(name)) {
                Slot gone = slots.remove(name);
                close(gone.champion);
                close(gone.challenger);
                LOG.info("Model {} no longer in the registry: not scored any more", name);
            }
        }
        registry.models()
                .forEach(
                        (name, wanted) -> {
                            Slot slot = slots.computeIfAbsent(name, n -> new Slot());
                            slot.fallback = wanted.fallbackOrZero();
                            slot.wantedChampion = wanted.champion().version();
                            slot.wantedChampionPath = wanted.champion().path();
                            try {
                                slot.champion =
                                        load(name, wanted.champion(), slot.champion, update);
                                slot.championProblem = null;
                            } catch (ModelException e) {
                                refusals.add(e.getMessage());
                                if (slot.champion == null) {
                                    slot.championProblem = "not loaded: " + e.getMessage();
                                }
                            }
                            if (wanted.challenger() == null) {
                                close(slot.challenger);
                                slot.challenger = null;
                            } else {
                                try {
                                    slot.challenger =
                                            load(
                                                    name,
                                                    wanted.challenger(),
                                                    slot.challenger,
                                                    update);
                                } catch (ModelException e) {
                                    refusals.add(e.getMessage());
                                }
                            }
                        });
        return refusals;
    }

    /** The release loaded, or {@code current} when its bytes are what already serves. */
    private Loaded load(
            String name, ModelRegistry.Release release, Loaded current, ModelRegistryUpdate update)
            throws ModelException {
        String subject = "model " + name + " " + release.version();
        byte[] onnx = update.files.get(release.path());
        byte[] card = update.files.get(ModelRegistryUpdate.cardPath(release.path()));
        if (onnx == null) {
            throw new ModelException(subject, List.of("cannot read " + release.path()));
        }
        if (card == null) {
            throw new ModelException(
                    subject,
                    List.of(
                            "cannot read its card "
                                    + ModelRegistryUpdate.cardPath(release.path())));
        }
        String digest = ModelRegistryUpdate.digest(onnx) + ModelRegistryUpdate.digest(card);
        if (current != null
                && current.version().equals(release.version())
                && current.digest().equals(digest)) {
            return current;
        }
        ModelCard parsed =
                ModelCards.parse(
                        new String(card, StandardCharsets.UTF_8),
                        ModelRegistryUpdate.cardPath(release.path()),
                        registry);
        List<String> problems = new ArrayList<>();
        if (!name.equals(parsed.name())) {
            problems.add("the card names model '" + parsed.name() + "'");
        }
        if (!release.version().equals(parsed.version())) {
            problems.add("the card has version '" + parsed.version() + "'");
        }
        if (!problems.isEmpty()) {
            throw new ModelException(subject, problems);
        }
        OnnxModel model = OnnxModel.load(onnx, parsed, intraOpThreads, registry);
        close(current);
        LOG.info(
                "Serving model {} {} ({}{})",
                name,
                release.version(),
                release.path(),
                model.fixedBatch() ? ", batch fixed at 1: scored row by row" : "");
        return new Loaded(release.version(), release.path(), digest, onnx, card, model);
    }

    /**
     * Scores a batch of customers with every model: one ONNX Runtime call per model version (or per
     * row for fixed-batch models).
     */
    public List<CustomerScore> score(List<CustomerFeatures> batch, long now) {
        return score(batch, now, features -> true).all();
    }

    /**
     * A batch's scores: every champion's score of each row (by model name, in the batch's order),
     * and every score made, challengers' included.
     */
    public record BatchScores(
            List<Map<String, CustomerScore>> champions, List<CustomerScore> all) {}

    /**
     * Scores a batch with every champion, and the rows {@code shadowed} accepts with every
     * challenger too: one ONNX Runtime call per model version (or per row for fixed-batch models).
     */
    public BatchScores score(
            List<CustomerFeatures> batch, long now, Predicate<CustomerFeatures> shadowed) {
        List<CustomerScore> out = new ArrayList<>(batch.size() * slots.size());
        List<Map<String, CustomerScore>> champions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            champions.add(new LinkedHashMap<>());
        }
        List<CustomerFeatures> sampled = null;
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Slot slot = entry.getValue();
            int first = out.size();
            scoreChampion(entry.getKey(), slot, batch, now, out);
            for (int i = 0; i < batch.size(); i++) {
                champions.get(i).put(entry.getKey(), out.get(first + i)); // one per row, in order
            }
            if (slot.challenger != null) {
                if (sampled == null) {
                    sampled = batch.stream().filter(shadowed).toList();
                }
                if (!sampled.isEmpty()) {
                    scoreShadow(entry.getKey(), slot.challenger, sampled, now, out);
                }
            }
        }
        return new BatchScores(champions, out);
    }

    /**
     * What the champions score a customer from: each champion's input row, or its fallback's score
     * where no champion serves, in model order. Equal inputs give equal champion scores (one thread
     * per session), so a customer whose inputs did not move need not be scored again.
     */
    public ChampionInputs championInputs(CustomerFeatures features) {
        int width = 0;
        List<FeatureVectorizer.Row> rows = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            FeatureVectorizer.Row row =
                    slot.champion == null ? null : slot.champion.model().vectorizer().row(features);
            rows.add(row);
            width += row == null ? 1 : row.values().length;
        }
        float[] floats = new float[width];
        TypedColumns others = null;
        int at = 0;
        int i = 0;
        for (Slot slot : slots.values()) {
            FeatureVectorizer.Row row = rows.get(i++);
            if (row == null) {
                floats[at++] = (float) slot.fallback.score(features);
                continue;
            }
            System.arraycopy(row.values(), 0, floats, at, row.values().length);
            at += row.values().length;
            if (TypedColumns.any(row)) {
                others = others == null ? new TypedColumns() : others;
                others.add(row);
            }
        }
        return new ChampionInputs(floats, others == null ? null : others.bytes());
    }

    /**
     * A customer's champion inputs: the float columns (and fallback scores) as they are, and the
     * columns of other types written out exactly (null when there are none).
     */
    public record ChampionInputs(float[] floats, byte[] others) {
        /** Same values, NaN equal to NaN. */
        public boolean sameAs(float[] otherFloats, byte[] otherOthers) {
            return Arrays.equals(floats, otherFloats) && Arrays.equals(others, otherOthers);
        }
    }

    private void scoreChampion(
            String name,
            Slot slot,
            List<CustomerFeatures> batch,
            long now,
            List<CustomerScore> out) {
        if (slot.champion == null) {
            for (CustomerFeatures features : batch) {
                out.add(fallback(name, slot, features, List.of(), slot.championProblem, now));
            }
            return;
        }
        OnnxModel model = slot.champion.model();
        List<FeatureVectorizer.Row> rows = rows(model, batch);
        List<Prediction> predictions;
        try {
            predictions = model.scoreRows(rows);
        } catch (ModelException e) {
            for (int i = 0; i < batch.size(); i++) {
                out.add(
                        fallback(
                                name,
                                slot,
                                batch.get(i),
                                rows.get(i).imputed(),
                                e.getMessage(),
                                now));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Prediction p = predictions.get(i);
            if (Double.isNaN(p.score())) {
                out.add(
                        fallback(
                                name,
                                slot,
                                batch.get(i),
                                rows.get(i).imputed(),
                                "the model returned NaN",
                                now));
            } else {
                out.add(
                        score(
                                name,
                                slot.champion.version(),
                                CustomerScore.CHAMPION,
                                batch.get(i),
                                rows.get(i),
                                p,
                                now));
            }
        }
    }

    private void scoreShadow(
            String name,
            Loaded challenger,
            List<CustomerFeatures> batch,
            long now,
            List<CustomerScore> out) {
        List<FeatureVectorizer.Row> rows = rows(challenger.model(), batch);
        List<Prediction> predictions;
        try {
            predictions = challenger.model().scoreRows(rows);
        } catch (ModelException e) {
            shadowFailures += batch.size();
            LOG.warn(
                    "Challenger {} {} failed on a batch of {}: {}",
                    name,
                    challenger.version(),
                    batch.size(),
                    e.getMessage());
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Prediction p = predictions.get(i);
            if (Double.isNaN(p.score())) {
                shadowFailures++;
                continue;
            }
            out.add(
                    score(
                            name,
                            challenger.version(),
                            CustomerScore.SHADOW,
                            batch.get(i),
                            rows.get(i),
                            p,
                            now));
        }
    }

    private static List<FeatureVectorizer.Row> rows(OnnxModel model, List<CustomerFeatures> batch) {
        List<FeatureVectorizer.Row> rows = new ArrayList<>(batch.size());
        for (CustomerFeatures features : batch) {
            rows.add(model.vectorizer().row(features));
        }
        return rows;
    }

    private static CustomerScore score(
            String name,
            String version,
            String role,
            CustomerFeatures features,
            FeatureVectorizer.Row row,
            Prediction p,
            long now) {
        CustomerScore s = base(name, version, role, features, now);
        s.score = p.score();
        s.label = p.label();
        s.probabilities = p.probabilities();
        s.imputed = row.imputed();
        return s;
    }

    private static CustomerScore fallback(
            String name,
            Slot slot,
            CustomerFeatures features,
            List<String> imputed,
            String reason,
            long now) {
        CustomerScore s = base(name, slot.wantedChampion, CustomerScore.CHAMPION, features, now);
        s.score = slot.fallback.score(features);
        s.imputed = imputed;
        s.fallback = true;
        s.fallbackReason = reason;
        return s;
    }

    private static CustomerScore base(
            String name, String version, String role, CustomerFeatures features, long now) {
        CustomerScore s = new CustomerScore();
        s.customerKey = features.customerKey;
        s.customerId = features.customerId;
        s.model = name;
        s.version = version;
        s.role = role;
        s.asOf = features.asOf;
        s.scoredAt = now;
        return s;
    }

    /**
     * What serves now, as a registry reading that {@link #apply} turns back into the same serving
     * set: the loaded releases with their bytes, and a slot whose champion never loaded with its
     * wanted release and no bytes (so it is refused again and scored by its fallback). The scoring
     * stage keeps it in its checkpoints.
     */
    public ModelRegistryUpdate servingState(long now) {
        Map<String, ModelRegistry.Slot> registry = new TreeMap<>();
        Map<String, byte[]> files = new TreeMap<>();
        slots.forEach(
                (name, slot) -> {
                    ModelRegistry.Release champion =
                            slot.champion != null
                                    ? release(slot.champion, files)
                                    : new ModelRegistry.Release(
                                            slot.wantedChampionPath, slot.wantedChampion);
                    ModelRegistry.Release challenger =
                            slot.challenger == null ? null : release(slot.challenger, files);
                    registry.put(name, new ModelRegistry.Slot(champion, challenger, slot.fallback));
                });
        ModelRegistryUpdate state = new ModelRegistryUpdate();
        state.source = "checkpoint";
        state.text = new ModelRegistry(registry).toYaml();
        state.files = files;
        state.fingerprint = fingerprint;
        state.readAt = now;
        return state;
    }

    private static ModelRegistry.Release release(Loaded loaded, Map<String, byte[]> files) {
        files.put(loaded.path(), loaded.onnx());
        files.put(ModelRegistryUpdate.cardPath(loaded.path()), loaded.card());
        return new ModelRegistry.Release(loaded.path(), loaded.version());
    }

    /** Serving versions by model name and role, e.g. {@code purchase_propensity/champion -> 1}. */
    public Map<String, String> versions() {
        Map<String, String> out = new LinkedHashMap<>();
        slots.forEach(
                (name, slot) -> {
                    out.put(
                            name + "/" + CustomerScore.CHAMPION,
                            slot.champion == null ? "fallback" : slot.champion.version());
                    if (slot.challenger != null) {
                        out.put(name + "/" + CustomerScore.SHADOW, slot.challenger.version());
                    }
                });
        return out;
    }

    /** Rows a challenger could not score, since this instance was created. */
    public long shadowFailures() {
        return shadowFailures;
    }

    public int modelCount() {
        return slots.size();
    }

    private static void close(Loaded loaded) {
        if (loaded != null) {
            loaded.model().close();
        }
    }

    @Override
    public void close() {
        for (Slot slot : slots.values()) {
            close(slot.champion);
            close(slot.challenger);
        }
        slots.clear();
    }
}
