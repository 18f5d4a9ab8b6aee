package io.personalize.job.features;

import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.flows.CompiledFlows;
import io.personalize.core.flows.Flow;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.flows.FlowValidationException;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.job.config.JobSettings;
import io.personalize.models.ModelCard;
import io.personalize.models.ModelCards;
import io.personalize.models.ModelException;
import io.personalize.models.ModelRegistry;
import io.personalize.models.ModelRegistryUpdate;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who reads which features, for {@link ServingDeclaredFeatures}: each stage knows exactly what it
 * serves itself (the customer stage its segments, the decision stage its flows, the scoring stage
 * its model cards), and needs what the others serve too, so that all three judge a change alike
 * (the customer stage, which computes the features, must not drop one a flow reads; the decision
 * stage must not drop from its registry one a segment reads). What the others serve is taken from
 * the files as they are now ({@link #all}, {@link #flowsAndCards}): a watched segments or flows
 * file when it compiles (else the definitions the job started with), and the cards the model
 * registry names. Reading the files is a conservative view: a definition in a file may not serve
 * yet, but none that serves is missed while the files say what serves.
 */
public final class FeatureReaders implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SegmentDefinitions configuredSegments;
    private final String segmentsPath;
    private final FlowDefinitions configuredFlows;
    private final String flowsPath;
    private final boolean models;
    private final String modelRegistryPath;

    /**
     * @param segmentsPath the watched segment definitions file; null when not watched
     * @param flowsPath the watched flows file; null when flows are not watched
     * @param models whether the job scores
     * @param modelRegistryPath the model registry file; null for the shipped models
     */
    public FeatureReaders(
            SegmentDefinitions configuredSegments,
            String segmentsPath,
            FlowDefinitions configuredFlows,
            String flowsPath,
            boolean models,
            String modelRegistryPath) {
        this.configuredSegments = configuredSegments;
        this.segmentsPath = segmentsPath;
        this.configuredFlows = configuredFlows;
        this.flowsPath = flowsPath;
        this.models = models;
        this.modelRegistryPath = modelRegistryPath;
    }

    /** The segments, flows and cards of a job with these settings. */
    public static FeatureReaders of(JobSettings settings) {
        return new FeatureReaders(
                settings.segments(),
                settings.watchesSegments() ? settings.segmentsPath() : null,
                settings.decisions().flows(),
                settings.decisions().watchesFlows() ? settings.decisions().flowsPath() : null,
                settings.models().enabled(),
                settings.models().registryPath());
    }

    /**
     * The segments, flows and cards the files name now, compiled against {@code registry} (what
     * serves), with the exact readers of the stage that asks ({@code own}) over them: what the
     * scoring and decision stages judge a declared-features change by, so that they refuse what the
     * customer stage refuses.
     */
    public Map<String, Set<String>> all(FeatureRegistry registry, Map<String, Set<String>> own) {
        SegmentDefinitions segments = segments(registry);
        Map<String, Set<String>> readers = new TreeMap<>();
        try {
            readers.putAll(segments(new SegmentCompiler(registry).compile(segments)));
        } catch (SegmentValidationException | RuntimeException e) {
            // checked at start against the registry it started with
        }
        readers.putAll(flowsAndCards(registry, segments));
        readers.putAll(own);
        return readers;
    }

    /** The watched segment definitions file when it compiles, else the configured ones. */
    private SegmentDefinitions segments(FeatureRegistry registry) {
        if (segmentsPath != null) {
            try {
                SegmentDefinitions read = SegmentDefinitions.load(Path.of(segmentsPath));
                new SegmentCompiler(registry).compile(read);
                return read;
            } catch (IOException | RuntimeException | SegmentValidationException e) {
                // not what serves: the configured segments (or a version before) serve
            }
        }
        return configuredSegments;
    }

    /** Each segment ({@code segment 'id'}) with the features its rule reads. */
    public static Map<String, Set<String>> segments(CompiledSegments segments) {
        Map<String, Set<String>> readers = new TreeMap<>();
        for (String id : segments.evaluationOrder()) {
            readers.put("segment '" + id + "'", new TreeSet<>(segments.variablesOf(id)));
        }
        return readers;
    }

    /** Each flow ({@code flow 'id'}) with the features it reads. */
    public static Map<String, Set<String>> flows(CompiledFlows flows) {
        Map<String, Set<String>> readers = new TreeMap<>();
        for (Flow flow : flows.flows()) {
            readers.put("flow '" + flow.id() + "'", new TreeSet<>(flow.featuresRead()));
        }
        return readers;
    }

    /** A card ({@code model card 'name' version}) with the features it reads. */
    public static Map<String, Set<String>> card(ModelCard card) {
        return Map.of(
                "model card '" + card.name() + "' " + card.version(),
                new TreeSet<>(card.features()));
    }

    /**
     * The flows and cards the files name now, compiled against {@code registry} (what serves); a
     * flows file that does not compile counts as the configured flows, a card that does not parse
     * as none (neither can serve).
     */
    public Map<String, Set<String>> flowsAndCards(
            FeatureRegistry registry, SegmentDefinitions segments) {
        Map<String, Set<String>> readers = new TreeMap<>(flows(registry, segments));
        if (models) {
            readers.putAll(cards(registry));
        }
        return readers;
    }

    private Map<String, Set<String>> flows(FeatureRegistry registry, SegmentDefinitions segments) {
        // which features the flows read; their model names are the decision stage's to judge
        FlowCompiler compiler = FlowCompiler.standard().withRegistry(registry).withModels(null);
        if (segments != null) {
            compiler = compiler.withSegments(segments);
        }
        if (flowsPath != null) {
            try {
                return flows(
                        compiler.compile(
                                Files.readString(Path.of(flowsPath), StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException | FlowValidationException e) {
                // not what serves: the configured flows (or a version before) serve
            }
        }
        try {
            return flows(compiler.compile(configuredFlows));
        } catch (RuntimeException | FlowValidationException e) {
            return Map.of(); // checked at start against the registry it started with
        }
    }

    private Map<String, Set<String>> cards(FeatureRegistry registry) {
        ModelRegistryUpdate reading =
                modelRegistryPath == null
                        ? ModelRegistryUpdate.shipped(System.currentTimeMillis())
                        : ModelRegistryUpdate.read(
                                Path.of(modelRegistryPath), System.currentTimeMillis());
        Map<String, Set<String>> readers = new TreeMap<>();
        if (reading.text == null) {
            return readers;
        }
        try {
            for (ModelRegistry.Slot slot :
                    ModelRegistry.parse(reading.text, reading.source).models().values()) {
                for (ModelRegistry.Release release :
                        new ModelRegistry.Release[] {slot.champion(), slot.challenger()}) {
                    if (release == null) {
                        continue;
                    }
                    String cardPath = ModelRegistryUpdate.cardPath(release.path());
                    byte[] card = reading.files.get(cardPath);
                    if (card == null) {
                        continue;
                    }
                    try {
                        readers.putAll(
                                card(
                                        ModelCards.parse(
                                                new String(card, StandardCharsets.UTF_8),
                                                cardPath,
                                                registry)));
                    } catch (ModelException e) {
                        // a card that does not parse does not serve
                    }
                }
            }
        } catch (ModelException e) {
            // a registry that does not parse does not serve
        }
        return readers;
    }
}
