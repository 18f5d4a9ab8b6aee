package io.personalize.core.features.declared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.DeclaredValue;
import io.personalize.core.features.DeclaredWindow;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.FeatureType;
import io.personalize.core.segments.CelEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes declared features over a customer's state: the compiled CEL of the features and the
 * state updates (profile attributes latest by event time, window entries at exact event times),
 * expiries and reads. Values do not depend on arrival order: a tie at one instant is broken by the
 * value ({@link DeclaredValue#laterThan}), and an event older than its window at arrival is not
 * kept (it would already have left). An expression that fails on an event (e.g. a missing field)
 * does not match it; one that fails on a snapshot leaves the derived feature unknown.
 */
final class DeclaredComputation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<DeclaredFeature> profiles = new ArrayList<>();
    private final List<DeclaredFeature> windows = new ArrayList<>();
    private final List<DeclaredFeature> derived = new ArrayList<>();
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();
    private final java.util.Set<String> profileNames = new java.util.HashSet<>();
    private final java.util.Set<String> windowNames = new java.util.HashSet<>();
    private final FeatureRegistry registry;

    DeclaredComputation(List<DeclaredFeature> features, FeatureRegistry registry) {
        this.registry = registry;
        for (DeclaredFeature f : features) {
            switch (f.kind()) {
                case PROFILE -> {
                    profiles.add(f);
                    profileNames.add(f.name());
                }
                case WINDOW -> {
                    windows.add(f);
                    windowNames.add(f.name());
                    programs.put(
                            f.name() + "/where",
                            program(f.where(), eventCompiler(SimpleType.BOOL)));
                    if (f.value() != null) {
                        programs.put(
                                f.name() + "/value",
                                program(f.value(), eventCompiler(SimpleType.DYN)));
                    }
                }
                case DERIVED -> {
                    derived.add(f);
                    programs.put(
                            f.name() + "/expression",
                            program(
                                    f.expression(),
                                    DeclaredCel.featureCompiler(
                                            registry, CelEnvironment.celType(f.type()))));
                }
            }
        }
    }

    void apply(CustomerState state, Event event) {
        JsonNode payload = null;
        if (!profiles.isEmpty() && event.eventType == EventType.PROFILE_UPDATED) {
            payload = payload(event);
            setProfile(state, payload.path("profile"), event.occurredAt);
        }
        if (!windows.isEmpty()) {
            Map<String, Object> view =
                    EventView.of(payload != null ? payload : payload(event), event);
            long clock = Math.max(state.clock, event.occurredAt);
            for (DeclaredFeature f : windows) {
                if (event.occurredAt >= clock - f.window().toMillis()) {
                    addIfMatching(state, f, view, event.occurredAt);
                }
            }
        }
    }

    private void setProfile(CustomerState state, JsonNode profile, long at) {
        for (DeclaredFeature f : profiles) {
            JsonNode node = profile;
            for (String field : f.path()) {
                node = node.path(field);
            }
            Object value = DeclaredValues.fromJson(node, f.type());
            if (value == null) {
                continue;
            }
            DeclaredValue candidate = new DeclaredValue(at, value);
            if (state.declaredProfile == null) {
                state.declaredProfile = new HashMap<>();
            }
            DeclaredValue current = state.declaredProfile.get(f.name());
            if (current == null || candidate.laterThan(current)) {
                state.declaredProfile.put(f.name(), candidate);
            }
        }
    }

    private void addIfMatching(
            CustomerState state, DeclaredFeature f, Map<String, Object> view, long at) {
        Object matches = evalEvent(f.name() + "/where", view);
        if (!Boolean.TRUE.equals(matches)) {
            return;
        }
        Object value = null;
        if (f.value() != null) {
            value = Aggregation.entryValue(f, evalEvent(f.name() + "/value", view));
            if (value == null) {
                return; // no value to aggregate: the event does not count
            }
        }
        if (state.declaredWindows == null) {
            state.declaredWindows = new HashMap<>();
        }
        state.declaredWindows
                .computeIfAbsent(f.name(), k -> new DeclaredWindow())
                .entries
                .add(new DeclaredValue(at, value));
    }

    void forgetBefore(CustomerState state, long time) {
        if (state.declaredProfile != null) {
            state.declaredProfile.keySet().removeIf(name -> !profileNames.contains(name));
        }
        if (state.declaredWindows == null) {
            return;
        }
        state.declaredWindows.keySet().removeIf(name -> !windowNames.contains(name));
        for (DeclaredFeature f : windows) {
            DeclaredWindow window = state.declaredWindows.get(f.name());
            if (window != null) {
                long cutoff = time - f.window().toMillis();
                window.entries.removeIf(e -> e.at < cutoff);
                if (window.entries.isEmpty()) {
                    state.declaredWindows.remove(f.name());
                }
            }
        }
    }

    long nextChangeAt(CustomerState state, long asOf) {
        long next = Long.MAX_VALUE;
        if (state.declaredWindows != null) {
            for (DeclaredFeature f : windows) {
                DeclaredWindow window = state.declaredWindows.get(f.name());
                if (window != null) {
                    for (DeclaredValue e : window.entries) {
                        next = after(next, e.at + f.window().toMillis() + 1, asOf);
                    }
                }
            }
        }
        if (state.declaredProfile != null) {
            for (DeclaredFeature f : profiles) {
                DeclaredValue v = state.declaredProfile.get(f.name());
                if (v != null && f.maxAge() != null) {
                    next = after(next, v.at + f.maxAge().toMillis() + 1, asOf);
                }
            }
        }
        return next;
    }

    void read(CustomerState state, CustomerFeatures snapshot, long asOf) {
        for (DeclaredFeature f : profiles) {
            DeclaredValue v =
                    state.declaredProfile == null ? null : state.declaredProfile.get(f.name());
            if (v == null) {
                continue;
            }
            if (f.maxAge() != null && asOf - v.at > f.maxAge().toMillis()) {
                if (snapshot.staleFeatures == null) {
                    snapshot.staleFeatures = new ArrayList<>();
                }
                snapshot.staleFeatures.add(f.name());
                continue;
            }
            Object value =
                    f.type() == FeatureType.TIMESTAMP ? (Object) v.number.longValue() : v.value();
            snapshot.putDeclared(f.name(), f.type(), value);
        }
        for (DeclaredFeature f : windows) {
            DeclaredWindow window =
                    state.declaredWindows == null ? null : state.declaredWindows.get(f.name());
            List<DeclaredValue> entries = window == null ? null : window.entries;
            snapshot.putDeclared(f.name(), f.type(), Aggregation.of(f, entries, asOf));
        }
        for (DeclaredFeature f : derived) {
            snapshot.putDeclared(f.name(), f.type(), evalDerived(f, snapshot, asOf));
        }
    }

    private Object evalDerived(DeclaredFeature f, CustomerFeatures snapshot, long asOf) {
        try {
            Object result =
                    programs.get(f.name() + "/expression")
                            .eval(
                                    name -> {
                                        if (CelEnvironment.AS_OF.equals(name)) {
                                            return Optional.of(timestamp(asOf));
                                        }
                                        var definition = registry.get(name);
                                        if (definition.isEmpty()) {
                                            return Optional.empty();
                                        }
                                        Object value = registry.value(name, snapshot);
                                        if (value != null
                                                && definition.get().type()
                                                        == FeatureType.TIMESTAMP) {
                                            value = timestamp(((Number) value).longValue());
                                        }
                                        return Optional.ofNullable(value);
                                    });
            if (result instanceof Timestamp t) {
                return t.getSeconds() * 1000L + t.getNanos() / 1_000_000;
            }
            return result;
        } catch (CelEvaluationException | RuntimeException e) {
            return null; // a missing input or an error: unknown (the registry default applies)
        }
    }

    private Object evalEvent(String key, Map<String, Object> view) {
        try {
            return programs.get(key).eval(Map.of(DeclaredCel.EVENT, view));
        } catch (CelEvaluationException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode payload(Event event) {
        if (event.payload == null) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(event.payload);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode(); // validated when read: does not happen
        }
    }

    private static CelCompiler eventCompiler(CelType result) {
        return DeclaredCel.eventCompiler(result);
    }

    private static CelRuntime.Program program(String expression, CelCompiler compiler) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            return DeclaredCel.runtime().createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalStateException(
                    "declared feature expression no longer compiles: " + e.getMessage(), e);
        }
    }

    static Timestamp timestamp(long epochMillis) {
        return Timestamp.newBuilder()
                .setSeconds(Math.floorDiv(epochMillis, 1000L))
                .setNanos((int) Math.floorMod(epochMillis, 1000L) * 1_000_000)
                .build();
    }

    private static long after(long current, long candidate, long asOf) {
        return candidate > asOf ? Math.min(current, candidate) : current;
    }
}
