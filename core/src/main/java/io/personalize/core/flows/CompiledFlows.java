package io.personalize.core.flows;

import io.personalize.core.decisions.Trigger;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A checked, immutable set of flows and the version of their definitions file. Thread-safe.
 * Serializable as its definitions, recompiled when read (without checking segment ids and models
 * again: they were checked when it was compiled).
 */
public final class CompiledFlows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FlowDefinitions definitions;
    private final transient List<Flow> flows;
    private final transient List<Flow> conditionFlows;

    /** The declared features the flows were compiled with (recompiled with them when read). */
    private final List<io.personalize.core.features.declared.DeclaredFeature> declared;

    CompiledFlows(
            FlowDefinitions definitions,
            List<Flow> flows,
            List<io.personalize.core.features.declared.DeclaredFeature> declared) {
        this.declared = List.copyOf(declared);
        this.definitions = definitions;
        this.flows = List.copyOf(flows);
        this.conditionFlows = this.flows.stream().filter(Flow::startsOnCondition).toList();
    }

    /** The definitions version, recorded with every decision ({@code flowsVersion}). */
    public long version() {
        return definitions.version();
    }

    public FlowDefinitions definitions() {
        return definitions;
    }

    /** Every flow, in file order. */
    public List<Flow> flows() {
        return flows;
    }

    public Optional<Flow> flow(String id) {
        return flows.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    /**
     * The flows this trigger starts, highest priority first (file order between equal priorities).
     */
    public List<Flow> triggeredBy(Trigger trigger) {
        return flows.stream()
                .filter(f -> f.triggeredBy(trigger))
                .sorted(Comparator.comparingInt(Flow::priority).reversed())
                .toList();
    }

    /**
     * Why {@code next}, read again from the definitions file (at runtime: a reload), must not
     * replace these: its definitions changed but its version is not above this one. Empty when it
     * may: its version is higher, or nothing changed (nothing to apply).
     */
    public Optional<String> reloadProblem(CompiledFlows next) {
        if (next.definitions.equals(definitions) || next.version() > version()) {
            return Optional.empty();
        }
        return Optional.of(
                "flow definitions changed but their version "
                        + next.version()
                        + " is not above the serving version "
                        + version()
                        + "; raise version to apply them");
    }

    /** The flows started by a condition, in file order. */
    public List<Flow> conditionFlows() {
        return conditionFlows; // asked at every moment of every customer
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompiledFlows c && definitions.equals(c.definitions);
    }

    @Override
    public int hashCode() {
        return definitions.hashCode();
    }

    @Override
    public String toString() {
        return "CompiledFlows{version " + version() + ", " + flows + "}";
    }

    private Object writeReplace() throws ObjectStreamException {
        return new SerializedForm(definitions, declared);
    }

    /** The definitions; recompiled when read. */
    private record SerializedForm(
            FlowDefinitions definitions,
            List<io.personalize.core.features.declared.DeclaredFeature> declared)
            implements Serializable {
        private Object readResolve() throws ObjectStreamException {
            try {
                return FlowCompiler.unchecked()
                        .withRegistry(
                                io.personalize.core.features.FeatureRegistry.standard()
                                        .with(declared))
                        .compile(definitions);
            } catch (FlowValidationException e) {
                throw new InvalidObjectException(e.getMessage());
            }
        }
    }
}
