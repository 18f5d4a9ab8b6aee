package io.personalize.core.features.declared;

import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureRegistry;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A deployment's declared features (personalize.features.declared), checked: what {@link
 * io.personalize.core.features.FeatureEngine} computes besides the built-in features, and what
 * {@link #registry()} adds to the standard registry so that segments, flows and model cards refer
 * to them by name. A file:
 *
 * <pre>
 * version: 1
 * features:
 *   - name: contract_type
 *     kind: profile
 *     type: string
 *     path: attributes.contract_type     # in the profile object of profile_updated events
 *     default: month_to_month
 *     max_age: 365d
 *   - name: support_calls_90d
 *     kind: window
 *     aggregate: count
 *     where: event.event_type == 'custom' &amp;&amp; event.custom.type == 'support_call'
 *     window: 90d
 *   - name: ltv_tier
 *     kind: derived
 *     type: string
 *     expression: "lifetime_revenue >= 1000.0 ? 'gold' : 'standard'"
 * </pre>
 *
 * <p>Serializable as its features; the CEL programs are compiled again where it is used.
 */
public final class DeclaredFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final DeclaredFeatures NONE = new DeclaredFeatures(0, List.of(), "");

    private final long version;
    private final List<DeclaredFeature> features;
    private final String source;
    private transient DeclaredComputation computation;
    private transient FeatureRegistry registry;

    DeclaredFeatures(long version, List<DeclaredFeature> features, String source) {
        this.version = version;
        this.features = List.copyOf(features);
        this.source = source;
    }

    /** No declared features: the engine does nothing more than the built-in features. */
    public static DeclaredFeatures none() {
        return NONE;
    }

    /** Checks and compiles YAML text against the standard registry. */
    public static DeclaredFeatures parse(String yaml) throws FeatureValidationException {
        return DeclaredFeaturesCompiler.standard().compile(yaml);
    }

    public static DeclaredFeatures load(Path file) throws IOException, FeatureValidationException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public boolean isEmpty() {
        return features.isEmpty();
    }

    public long version() {
        return version;
    }

    /** Profile attributes and windows in file order, then derived ones in dependency order. */
    public List<DeclaredFeature> features() {
        return features;
    }

    /** The file's text. */
    public String source() {
        return source;
    }

    /** The standard registry with these features. */
    public FeatureRegistry registry() {
        if (registry == null) {
            registry = FeatureRegistry.standard().with(features);
        }
        return registry;
    }

    /** Folds an event into the declared part of the state (nothing when none are declared). */
    public void apply(CustomerState state, Event event) {
        if (!features.isEmpty()) {
            computation().apply(state, event);
        }
    }

    /**
     * Forgets window entries that no window holds at {@code time}, and the values of features no
     * longer declared (the file changed between runs).
     */
    public void forgetBefore(CustomerState state, long time) {
        if (!features.isEmpty()) {
            computation().forgetBefore(state, time);
        } else {
            state.declaredWindows = null;
            state.declaredProfile = null;
        }
    }

    /**
     * The first moment after {@code asOf} at which a declared value changes without an event: an
     * entry leaving its window, or a profile attribute passing its max age; {@link Long#MAX_VALUE}
     * when none.
     */
    public long nextChangeAt(CustomerState state, long asOf) {
        return features.isEmpty() ? Long.MAX_VALUE : computation().nextChangeAt(state, asOf);
    }

    /** Sets the declared values of a snapshot as of {@code asOf}, derived ones last. */
    public void read(CustomerState state, CustomerFeatures snapshot, long asOf) {
        if (!features.isEmpty()) {
            computation().read(state, snapshot, asOf);
        }
    }

    private DeclaredComputation computation() {
        if (computation == null) {
            computation = new DeclaredComputation(features, registry());
        }
        return computation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeclaredFeatures other
                && version == other.version
                && features.equals(other.features);
    }

    @Override
    public int hashCode() {
        return features.hashCode();
    }

    @Override
    public String toString() {
        return "DeclaredFeatures{version " + version + ", " + features.size() + " features}";
    }
}
