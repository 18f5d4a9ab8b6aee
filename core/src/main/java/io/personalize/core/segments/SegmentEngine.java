package io.personalize.core.segments;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.scoring.CustomerScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps one customer's memberships up to date under one rule version ({@link CompiledSegments}):
 * {@link #evaluate} re-evaluates only the rules whose inputs changed (features they read, segments
 * they reference, recent views for {@code viewed_product}) plus the rules that read {@code as_of},
 * and reports every transition; {@link #nextChangeAt} says when a time-driven rule could change
 * next without any feature change. Plain Java, one per operator instance (it reuses one evaluation
 * context; not thread-safe).
 *
 * <pre>{@code
 * SegmentEngine engine = new SegmentEngine(SegmentCompiler.standard().compile(definitions));
 * List<Transition> changes = engine.evaluate(state, features, TimeAnchors.of(featureEngine, cs));
 * long timerAt = engine.nextChangeAt(features, anchors);
 * }</pre>
 *
 * <p>An engine evaluates all rules or one {@link Part}: the base segments (before scoring, in the
 * customer stage) or the score segments (in the scoring stage, with the champion scores). A score
 * segment's {@code in_segment} of a base segment reads the moment's {@link
 * CustomerFeatures#segments} (a base segment that is unknown counts as not a member there).
 *
 * <p>Skipping relies on a 64-bit fingerprint of a rule's inputs; two different inputs with the same
 * fingerprint (odds about 1 in 2^64 per change for numbers, 2^32 for lists and maps) would leave
 * that rule's previous result in place until its next input change.
 */
public final class SegmentEngine {
    private static final Membership[] MEMBERSHIPS = Membership.values();

    private final CompiledSegments segments;
    private final FeatureRegistry registry;
    private final List<CompiledRule> rules;
    private final String[] ids;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final int[][] references;

    /** Referenced segments another part evaluates (read from the moment's segment list). */
    private final String[] externalIds;

    private final int[][] externalReferences;
    private final boolean timeDriven;
    private final Set<String> inputFeatures;
    private final EvaluationContext context;
    private int lastEvaluated;

    /** Which rules an engine evaluates. */
    public enum Part {
        ALL,
        /** The segments that read no score: evaluated before scoring. */
        BASE,
        /** The score segments ({@link CompiledSegments#scoreSegments}). */
        SCORES
    }

    public SegmentEngine(CompiledSegments segments) {
        this(segments, Part.ALL);
    }

    public SegmentEngine(CompiledSegments segments, Part part) {
        this.segments = segments;
        this.registry = segments.registry();
        this.rules =
                segments.rules().stream()
                        .filter(r -> part == Part.ALL || r.readsScores() == (part == Part.SCORES))
                        .toList();
        this.ids = rules.stream().map(CompiledRule::id).toArray(String[]::new);
        for (int i = 0; i < ids.length; i++) {
            indexOf.put(ids[i], i);
        }
        this.references = new int[rules.size()][];
        this.externalReferences = new int[rules.size()][];
        List<String> external = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            List<String> refs = rules.get(i).segmentReferences();
            references[i] =
                    refs.stream().filter(indexOf::containsKey).mapToInt(indexOf::get).toArray();
            externalReferences[i] =
                    refs.stream()
                            .filter(r -> !indexOf.containsKey(r))
                            .mapToInt(
                                    r -> {
                                        if (!external.contains(r)) {
                                            external.add(r);
                                        }
                                        return external.indexOf(r);
                                    })
                            .toArray();
        }
        this.externalIds = external.toArray(String[]::new);
        this.timeDriven = rules.stream().anyMatch(r -> r.timing().timeDriven());
        Set<String> inputs = new TreeSet<>();
        rules.forEach(r -> r.inputs().forEach(d -> inputs.add(d.name())));
        this.inputFeatures = Collections.unmodifiableSet(inputs);
        this.context = new EvaluationContext(registry);
    }

    public CompiledSegments segments() {
        return segments;
    }

    public long version() {
        return segments.version();
    }

    /** One segment's change for one customer; {@code reason} explains an unknown result. */
    public record Transition(String segmentId, Membership from, Membership to, String reason) {
        public boolean entered() {
            return to == Membership.MEMBER && from != Membership.MEMBER;
        }

        public boolean exited() {
            return from == Membership.MEMBER && to != Membership.MEMBER;
        }
    }

    /**
     * Brings the state to these features (as of {@code features.asOf}) and this rule version. Never
     * throws for a rule: a failure is {@link Membership#UNKNOWN} with a reason.
     *
     * @return every membership that changed, in evaluation order; a state from another rule version
     *     is migrated first (every rule evaluated; members of removed segments exit)
     */
    public List<Transition> evaluate(
            SegmentState state, CustomerFeatures features, TimeAnchors anchors) {
        return evaluate(state, features, anchors, Map.of());
    }

    /**
     * As {@link #evaluate(SegmentState, CustomerFeatures, TimeAnchors)}, with the customer's
     * champion scores by model name, for score segments: a rule reading a model without a score
     * (not serving, refused, scoring off) is unknown with the reason {@code no score of 'm'}.
     */
    public List<Transition> evaluate(
            SegmentState state,
            CustomerFeatures features,
            TimeAnchors anchors,
            Map<String, CustomerScore> scores) {
        List<Transition> transitions = new ArrayList<>();
        boolean everyRule = migrate(state, transitions);
        context.reset(features, features.asOf, anchors).withScores(scores);
        for (String external : externalIds) {
            context.record(
                    external,
                    inMomentSegments(features, external)
                            ? SegmentResult.MEMBER
                            : SegmentResult.NOT_MEMBER);
        }
        int evaluated = 0;
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule rule = rules.get(i);
            Membership previous = MEMBERSHIPS[state.memberships[i]];
            long fingerprint = fingerprint(i, features, state, anchors, scores);
            if (!everyRule
                    && !rule.timing().dependsOnClock()
                    && fingerprint == state.fingerprints[i]) {
                context.record(rule.id(), unchanged(previous));
                continue;
            }
            SegmentResult result = CompiledSegments.evaluate(rule, context);
            context.record(rule.id(), result);
            evaluated++;
            state.memberships[i] = (byte) result.membership().ordinal();
            state.fingerprints[i] = fingerprint;
            if (result.membership() != previous) {
                transitions.add(
                        new Transition(rule.id(), previous, result.membership(), result.reason()));
            }
        }
        lastEvaluated = evaluated;
        return transitions;
    }

    /**
     * Takes the customer out of every segment (a key that closes: an anonymous visitor merged into
     * a customer): each membership or unknown result becomes not-member with {@code reason}; the
     * state is left so that the next {@link #evaluate} starts afresh.
     */
    public List<Transition> leaveAll(SegmentState state, String reason) {
        List<Transition> transitions = new ArrayList<>();
        for (int i = 0; i < state.segmentIds.length; i++) {
            Membership previous = MEMBERSHIPS[state.memberships[i]];
            if (previous != Membership.NOT_MEMBER) {
                transitions.add(
                        new Transition(
                                state.segmentIds[i], previous, Membership.NOT_MEMBER, reason));
            }
        }
        state.version = -1; // re-laid out and every rule evaluated on the next evaluate
        state.segmentIds = new String[0];
        state.memberships = new byte[0];
        state.fingerprints = new long[0];
        state.dueAt = Long.MAX_VALUE;
        return transitions;
    }

    /** The features some rule reads: only their changes can change a membership. */
    public Set<String> inputFeatures() {
        return inputFeatures;
    }

    /** How many rules the last {@link #evaluate} call evaluated (the others were unchanged). */
    public int lastEvaluated() {
        return lastEvaluated;
    }

    /**
     * The first instant after {@code features.asOf} at which a rule could change by time alone (see
     * {@link RuleTiming}); {@link Long#MAX_VALUE} when none.
     */
    public long nextChangeAt(CustomerFeatures features, TimeAnchors anchors) {
        if (!timeDriven) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (CompiledRule rule : rules) {
            if (rule.timing().timeDriven()) {
                next = Math.min(next, rule.timing().nextChangeAt(registry, features, anchors));
            }
        }
        return next;
    }

    /** The ids of the segments the customer is a member of, sorted. */
    public List<String> members(SegmentState state) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < state.segmentIds.length; i++) {
            if (state.memberships[i] == Membership.MEMBER.ordinal()) {
                members.add(state.segmentIds[i]);
            }
        }
        members.sort(null);
        return members;
    }

    /** Re-lays a state from another version out in this one's order; true when it did. */
    private boolean migrate(SegmentState state, List<Transition> transitions) {
        if (state.version == version() && Arrays.equals(state.segmentIds, ids)) {
            return false;
        }
        byte[] memberships = new byte[ids.length];
        Arrays.fill(memberships, (byte) Membership.NOT_MEMBER.ordinal());
        for (int old = 0; old < state.segmentIds.length; old++) {
            Integer now = indexOf.get(state.segmentIds[old]);
            if (now != null) {
                memberships[now] = state.memberships[old];
            } else if (state.memberships[old] == Membership.MEMBER.ordinal()) {
                transitions.add(
                        new Transition(
                                state.segmentIds[old],
                                Membership.MEMBER,
                                Membership.NOT_MEMBER,
                                "segment removed in rule version " + version()));
            }
        }
        state.version = version();
        state.segmentIds = ids.clone();
        state.memberships = memberships;
        state.fingerprints = new long[ids.length];
        return true;
    }

    private static SegmentResult unchanged(Membership membership) {
        return switch (membership) {
            case MEMBER -> SegmentResult.MEMBER;
            case NOT_MEMBER -> SegmentResult.NOT_MEMBER;
            case UNKNOWN -> SegmentResult.unknown("unknown since its inputs last changed");
        };
    }

    private static boolean inMomentSegments(CustomerFeatures features, String segmentId) {
        return features.segments != null && features.segments.contains(segmentId);
    }

    private long fingerprint(
            int rule,
            CustomerFeatures features,
            SegmentState state,
            TimeAnchors anchors,
            Map<String, CustomerScore> scores) {
        long h = 0x2545F4914F6CDD1DL;
        CompiledRule compiled = rules.get(rule);
        RuleTiming timing = compiled.timing();
        for (FeatureDefinition input : compiled.inputs()) {
            Object value = input.valueOf(features);
            long[] thresholds = timing.dayThresholds().get(input.name());
            h = mix(h, thresholds == null ? valueBits(value) : sideOf(value, thresholds));
        }
        if (timing.viewWindows().length > 0) {
            h =
                    mix(
                            h,
                            anchors.viewsFingerprint(
                                    features.asOf, timing.viewWindows(), timing.viewProducts()));
        }
        for (int referenced : references[rule]) {
            h = mix(h, state.memberships[referenced]);
        }
        for (int external : externalReferences[rule]) {
            h = mix(h, inMomentSegments(features, externalIds[external]) ? 1 : 2);
        }
        for (String model : compiled.models()) {
            h = mix(h, scoreBits(scores.get(model)));
        }
        return h;
    }

    /**
     * Which side of each threshold a day count is on (below, at, above): all a rule that compares
     * it directly with those literals can see, so the rule is not evaluated again each new day.
     */
    private static long sideOf(Object value, long[] thresholds) {
        if (!(value instanceof Long days)) {
            return -1;
        }
        long code = 0;
        for (long c : thresholds) {
            code = code * 3 + (days < c ? 0 : days == c ? 1 : 2);
        }
        return code;
    }

    private static long scoreBits(CustomerScore score) {
        if (score == null) {
            return 0x7F4A7C159E3779B9L;
        }
        long h = mix(Double.doubleToLongBits(score.score), Objects.hashCode(score.label));
        return mix(h, Objects.hashCode(score.probabilities));
    }

    private static long valueBits(Object value) {
        if (value == null) {
            return 0x5BD1E9955BD1E995L;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Double d) {
            return Double.doubleToLongBits(d);
        }
        if (value instanceof java.util.Collection<?> c) {
            return ((long) c.size() << 32) ^ Objects.hashCode(c);
        }
        if (value instanceof Map<?, ?> m) {
            return ((long) m.size() << 32) ^ Objects.hashCode(m);
        }
        return ((long) value.toString().length() << 32) ^ value.hashCode();
    }

    /** One round of a 64-bit mix (splitmix64's finaliser). */
    static long mix(long h, long v) {
        long z = h + v + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
