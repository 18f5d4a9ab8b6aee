package io.personalize.core.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.core.features.declared.DeclaredFeature;
import io.personalize.core.flows.Flow;
import io.personalize.core.recommend.Recommendation;
import io.personalize.core.scoring.CustomerScore;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The send policy, applied to one customer at a time: which of the flows a trigger starts become an
 * email now, later or never, each outcome recorded as a {@link Decision}. Plain Java over a {@link
 * DecisionState}; the Flink operator keeps that state per customer key and calls:
 *
 * <ol>
 *   <li>{@link #onTriggers} with the triggers of one moment (event time {@code now}) and the
 *       customer's current features and champion scores;
 *   <li>{@link #onTimer} when the event-time timer at {@link #nextWakeUp} fires;
 *   <li>optionally {@link #onFeatures} when the customer's features change, so that a withdrawn
 *       consent cancels deferred decisions at once rather than at their timer;
 * </ol>
 *
 * emitting every returned decision, then (re-)registering a timer at {@link #nextWakeUp} unless it
 * is {@link Long#MAX_VALUE}. A timer that finds nothing due does nothing, so stale timers need not
 * be deleted. In bounded runs time ends at the last event: timers after it must not fire (deferred
 * decisions stay deferred). {@link #onTriggers} also re-evaluates the deferred decisions due by
 * {@code now}, so a trigger and a due decision of the same moment compete by priority whichever the
 * operator sees first; an email sent at the same event time by an earlier call suppresses the later
 * candidates ({@code already_sent}). Batching the triggers of one event time into one call makes
 * the choice by priority independent of arrival order.
 *
 * <p>Order of the policy, per candidate (trigger, flow), candidates in descending priority, then
 * flow id, then trigger time:
 *
 * <ol>
 *   <li>idempotency: a trigger already decided for a flow yields nothing (see {@link
 *       DecisionState#decided}); a trigger older than the idempotency horizon is ignored;
 *   <li>history: with a live horizon ({@link PolicySettings#liveHorizon}), a new trigger whose
 *       event time is older than the horizon before the wall clock is replayed history (a new
 *       deployment reading its past to build features): recorded as {@code replayed}, never sent.
 *       It is remembered as decided (never decided twice) but is neither a send nor an entry, so it
 *       takes no cap, cooldown, re-entry or moment from the live triggers that follow;
 *   <li>suppression: an address suppressed for every flow ({@code suppressed}: a hard bounce, a
 *       complaint, soft bounces up to the threshold, the suppression list) is suppressed with
 *       {@code suppressed_address: <reason>};
 *   <li>consent: {@code email_consent} must be {@code true} (unsubscribe and complaint set it
 *       false), else suppressed;
 *   <li>the flow's conditions, else suppressed with each failed condition's text;
 *   <li>re-entry (once-only flows) and cooldown, measured from the last entry of the flow (a send
 *       or a holdout, so both arms of an experiment see the same eligibility); a flow with a
 *       deferred decision takes no second one ({@code already_deferred});
 *   <li>experiment: in the holdout, recorded as held_out, nothing sent; it counts as an entry
 *       (cooldown, re-entry) but not as a send (caps) and does not take the moment;
 *   <li>one email per customer per moment: once a candidate is sent at {@code now}, every other
 *       candidate that reaches this step is suppressed ({@code lower_priority: <winner>}). Only
 *       sends take the moment: candidates that are deferred are deferred together and compete again
 *       when due, so a higher flow cancelled at fire time (a purchase) leaves the moment to the
 *       next;
 *   <li>quiet hours and frequency caps: blocked, it is deferred to the first moment that is outside
 *       the quiet hours of the customer's zone and allowed by every cap, unless that is more than
 *       the maximum delay after the trigger: then it expires;
 *   <li>otherwise to_send.
 * </ol>
 *
 * <p>A deferred decision is re-evaluated in full when due (consent, the flow still defined,
 * conditions, re-entry and cooldown, then the moment, quiet hours and caps) with the features and
 * scores of that time; its experiment arm stays as first assigned. Still blocked, it is deferred
 * again (a new deferred record with the new due time) or expires. A decision is recorded each time
 * it is evaluated: deferred, then deferred again, to_send, suppressed or expired, always under one
 * decision id. Suppression and consent are re-checked for every deferred decision on every call
 * (and on {@link #onFeatures}); conditions only when due, since they may stop holding and hold
 * again before then.
 */
public final class DecisionEngine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Recommended products put in the template variables. */
    static final int PRODUCT_VARIABLES = 4;

    private static final Comparator<Candidate> ORDER =
            Comparator.comparingInt(Candidate::priority)
                    .reversed()
                    .thenComparing(Candidate::flowId)
                    .thenComparingLong((Candidate c) -> c.trigger().at)
                    .thenComparing(Candidate::decisionId);

    private final PolicySettings settings;
    private final Clock clock;
    private final List<DeclaredFeature> declared;
    private transient FeatureRegistry registry;

    public DecisionEngine(PolicySettings settings) {
        this(settings, Clock.systemUTC());
    }

    /**
     * @param clock processing time, recorded as {@link Decision#processedAt}
     */
    public DecisionEngine(PolicySettings settings, Clock clock) {
        this(settings, clock, List.of());
    }

    /**
     * @param declared the deployment's declared features, which flows may read (their values are
     *     recorded in decisions as the built-in ones are)
     */
    public DecisionEngine(PolicySettings settings, Clock clock, List<DeclaredFeature> declared) {
        this.settings = settings;
        this.clock = clock;
        this.declared = List.copyOf(declared);
    }

    /**
     * This engine with {@code next} as the declared features flows may read (the declared-features
     * file changed while the job runs); it keeps no state of its own.
     */
    public DecisionEngine withDeclared(List<DeclaredFeature> next) {
        return new DecisionEngine(settings, clock, next);
    }

    /** The feature registry flows are compiled against: the standard one with the declared. */
    public FeatureRegistry registry() {
        if (registry == null) {
            registry = FeatureRegistry.standard().with(declared);
        }
        return registry;
    }

    public PolicySettings settings() {
        return settings;
    }

    /**
     * Decides the triggers of one moment, together with the deferred decisions due by then.
     *
     * @param triggers the customer's triggers; each is decided for every flow it triggers
     * @param flows the flow definitions in force
     * @param flowsVersion their version, recorded
     * @param features the customer's features as of {@code now}; null when none yet (no consent)
     * @param scores champion scores by model name
     * @param now event time of the moment, at or after the triggers' times
     * @return the decisions made, in the order decided
     */
    public List<Decision> onTriggers(
            DecisionState state,
            List<Trigger> triggers,
            List<Flow> flows,
            long flowsVersion,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            long now) {
        List<Decision> out = new ArrayList<>();
        triggers = triggers == null ? List.of() : triggers;
        prune(state, now);
        cancelWithoutConsent(state, features, now, out);
        Map<String, Flow> flowsById = new LinkedHashMap<>();
        for (Flow flow : flows) {
            flowsById.putIfAbsent(flow.id(), flow);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (PendingDecision pending : state.pending) {
            if (pending.dueAt <= now) {
                candidates.add(
                        new Candidate(
                                pending.trigger,
                                flowsById.get(pending.decision.flowId),
                                pending.decision.flowId,
                                pending.decision.decisionId,
                                pending));
            }
        }
        Set<String> seen = new HashSet<>();
        for (Trigger trigger : triggers) {
            if (trigger.at < state.forgottenBefore) {
                continue; // too old to know whether it was decided
            }
            for (Flow flow : flowsById.values()) {
                if (!flow.triggeredBy(trigger)) {
                    continue;
                }
                String id = decisionId(trigger.customerKey, flow.id(), trigger.triggeringId);
                if (!state.decided.containsKey(id) && seen.add(id)) {
                    candidates.add(new Candidate(copy(trigger), flow, flow.id(), id, null));
                }
            }
        }
        candidates.sort(ORDER);
        Moment moment = new Moment();
        for (Send send : state.sends) {
            if (send.at == now) {
                moment.sentFlow = send.flowId;
            }
        }
        Map<String, CustomerScore> scoresOrEmpty = scores == null ? Map.of() : scores;
        for (Candidate candidate : candidates) {
            out.add(decide(state, candidate, flowsVersion, features, scoresOrEmpty, now, moment));
        }
        return out;
    }

    /** Re-evaluates the deferred decisions due at {@code now}: the event-time timer. */
    public List<Decision> onTimer(
            DecisionState state,
            List<Flow> flows,
            long flowsVersion,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            long now) {
        return onTriggers(state, List.of(), flows, flowsVersion, features, scores, now);
    }

    /**
     * Cancels (suppresses) every deferred decision at once when the new features withdraw consent;
     * nothing else. Optional: {@link #onTriggers} and {@link #onTimer} do the same.
     */
    public List<Decision> onFeatures(DecisionState state, CustomerFeatures features, long now) {
        List<Decision> out = new ArrayList<>();
        cancelWithoutConsent(state, features, now, out);
        return out;
    }

    /** When the earliest deferred decision is due; {@link Long#MAX_VALUE} when none is. */
    public long nextWakeUp(DecisionState state) {
        long next = Long.MAX_VALUE;
        for (PendingDecision pending : state.pending) {
            next = Math.min(next, pending.dueAt);
        }
        return next;
    }

    /**
     * The idempotency key: the first 32 hex digits of the SHA-256 of customer key, flow id and
     * triggering id.
     */
    public static String decisionId(String customerKey, String flowId, String triggeringId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash =
                    sha.digest(
                            (customerKey + "\n" + flowId + "\n" + triggeringId)
                                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private Decision decide(
            DecisionState state,
            Candidate c,
            long flowsVersion,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            long now,
            Moment moment) {
        if (c.flow == null) {
            Decision d = copy(c.pending.decision);
            d.flowsVersion = flowsVersion;
            d.decidedAt = now;
            d.processedAt = clock.millis();
            return finish(state, c, d, Outcome.SUPPRESSED, List.of(Reasons.FLOW_REMOVED), now);
        }
        Decision d = build(c, flowsVersion, features, scores, now);
        state.decided.putIfAbsent(c.decisionId, c.trigger.at);
        if (c.pending == null && fromHistory(c.trigger, d.processedAt)) {
            return finish(
                    state,
                    c,
                    d,
                    Outcome.REPLAYED,
                    List.of(Reasons.history(settings.liveHorizon())),
                    now);
        }
        List<String> ineligible = ineligible(state, c, features, scores, now);
        if (!ineligible.isEmpty()) {
            return finish(state, c, d, Outcome.SUPPRESSED, ineligible, now);
        }
        if (c.pending == null) {
            Flow.Assignment arm = c.flow.assign(c.trigger.customerId);
            if (arm != null) {
                d.experimentId = arm.experimentId();
                d.variant = arm.variant();
                if (arm.heldOut()) {
                    state.entered.put(c.flowId, now);
                    return finish(
                            state,
                            c,
                            d,
                            Outcome.HELD_OUT,
                            List.of(Reasons.of(Reasons.HOLDOUT, arm.experimentId())),
                            now);
                }
            }
        }
        if (moment.sentFlow != null) {
            String code = moment.thisCall ? Reasons.LOWER_PRIORITY : Reasons.ALREADY_SENT;
            return finish(
                    state,
                    c,
                    d,
                    Outcome.SUPPRESSED,
                    List.of(Reasons.of(code, moment.sentFlow)),
                    now);
        }
        long latest = saturatedAdd(c.trigger.at, settings.maxDelay().toMillis());
        if (now > latest) {
            return finish(
                    state,
                    c,
                    d,
                    Outcome.EXPIRED,
                    List.of(Reasons.expired(settings.maxDelay())),
                    now);
        }
        List<String> blocked = new ArrayList<>();
        long due = allowedAt(state, features, now, blocked);
        if (blocked.isEmpty()) {
            state.sends.add(new Send(c.flowId, c.decisionId, now));
            state.entered.put(c.flowId, now);
            moment.sentFlow = c.flowId;
            moment.thisCall = true;
            return finish(state, c, d, Outcome.TO_SEND, List.of(), now);
        }
        if (due > latest) {
            blocked.add(Reasons.expired(settings.maxDelay()));
            return finish(state, c, d, Outcome.EXPIRED, blocked, now);
        }
        d.deferredUntil = due;
        return finish(state, c, d, Outcome.DEFERRED, blocked, due);
    }

    /**
     * Whether the trigger is older than the live horizon before the wall clock: replayed history.
     * Deferred decisions are not asked again: their trigger was live when first decided.
     */
    private boolean fromHistory(Trigger trigger, long wallClock) {
        Duration horizon = settings.liveHorizon();
        return horizon != null && trigger.at < wallClock - horizon.toMillis();
    }

    /** Why the candidate may not enter its flow now (consent, conditions, re-entry, cooldown). */
    private List<String> ineligible(
            DecisionState state,
            Candidate c,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            long now) {
        String unreachable = unreachable(features);
        if (unreachable != null) {
            return List.of(unreachable);
        }
        List<String> failed = c.flow.failedConditions(features, scores);
        if (failed != null && !failed.isEmpty()) {
            return failed.stream().map(f -> Reasons.of(Reasons.CONDITION_FAILED, f)).toList();
        }
        Long lastEntered = state.entered.get(c.flowId);
        if (lastEntered != null) {
            if (c.flow.reentry() == Flow.Reentry.ONCE) {
                return List.of(Reasons.of(Reasons.REENTRY, "once"));
            }
            Duration cooldown = c.flow.cooldown();
            if (cooldown != null && !cooldown.isZero() && now - lastEntered < cooldown.toMillis()) {
                return List.of(Reasons.of(Reasons.COOLDOWN, Reasons.duration(cooldown)));
            }
        }
        for (PendingDecision other : state.pending) {
            if (other.decision.flowId.equals(c.flowId)
                    && !other.decision.decisionId.equals(c.decisionId)) {
                return List.of(Reasons.of(Reasons.ALREADY_DEFERRED, other.decision.decisionId));
            }
        }
        return List.of();
    }

    /**
     * The first moment at or after {@code now} that the caps allow and is outside the quiet hours;
     * adds to {@code reasons} what blocks (nothing when that moment is {@code now}).
     */
    private long allowedAt(
            DecisionState state, CustomerFeatures features, long now, List<String> reasons) {
        long due = now;
        List<String> caps = new ArrayList<>();
        for (PolicySettings.Cap cap : settings.caps()) {
            long allowed = capAllowedAt(state.sends, cap, now);
            if (allowed > now) {
                caps.add(Reasons.of(Reasons.FREQUENCY_CAP, cap.label()));
                due = Math.max(due, allowed);
            }
        }
        ZoneId zone = zone(features);
        if (quiet(due, zone)) {
            reasons.add(Reasons.quietHours(settings.quietStart(), settings.quietEnd(), zone));
            due = quietEnd(due, zone);
        }
        reasons.addAll(caps);
        return due;
    }

    /**
     * When a cap next allows a send: a send at {@code s} counts while {@code t - s < window}, so
     * with {@code count} or more sends in the window, the {@code count}-th most recent one must
     * leave it first. Sends are only ever added at the present, so later moments are never less
     * allowed.
     */
    static long capAllowedAt(List<Send> sends, PolicySettings.Cap cap, long now) {
        long window = cap.window().toMillis();
        List<Long> inWindow = new ArrayList<>();
        for (Send send : sends) {
            if (now - send.at < window) {
                inWindow.add(send.at);
            }
        }
        if (inWindow.size() < cap.count()) {
            return now;
        }
        inWindow.sort(Comparator.reverseOrder());
        return Math.max(now, inWindow.get(cap.count() - 1) + window);
    }

    /** The customer's zone: the {@code timezone} feature when a valid IANA id, else the default. */
    ZoneId zone(CustomerFeatures features) {
        String id = features == null ? null : features.timezone;
        if (id == null || id.isBlank()) {
            return settings.defaultZone();
        }
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            return settings.defaultZone();
        }
    }

    boolean quiet(long at, ZoneId zone) {
        if (!settings.hasQuietHours()) {
            return false;
        }
        LocalTime local = Instant.ofEpochMilli(at).atZone(zone).toLocalTime();
        LocalTime start = settings.quietStart();
        LocalTime end = settings.quietEnd();
        return start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end);
    }

    /**
     * The end of the quiet period {@code at} is in: the next local {@code quietEnd} after it, as an
     * instant of that day's offset (a local time in a daylight-saving gap moves forward by the gap;
     * in an overlap, the first occurrence after {@code at}).
     */
    long quietEnd(long at, ZoneId zone) {
        Instant instant = Instant.ofEpochMilli(at);
        ZonedDateTime local = instant.atZone(zone);
        LocalTime end = settings.quietEnd();
        LocalDate day =
                local.toLocalTime().isBefore(end)
                        ? local.toLocalDate()
                        : local.toLocalDate().plusDays(1);
        ZonedDateTime endsAt = ZonedDateTime.of(day, end, zone);
        if (!endsAt.toInstant().isAfter(instant)) {
            endsAt = endsAt.withLaterOffsetAtOverlap();
        }
        if (!endsAt.toInstant().isAfter(instant)) {
            endsAt = ZonedDateTime.of(day.plusDays(1), end, zone);
        }
        return endsAt.toInstant().toEpochMilli();
    }

    /** Records the outcome in the decision and the state; {@code due} is used when deferred. */
    private Decision finish(
            DecisionState state,
            Candidate c,
            Decision d,
            Outcome outcome,
            List<String> reasons,
            long due) {
        d.outcome = outcome.code();
        d.reasons = new ArrayList<>(reasons);
        if (outcome == Outcome.DEFERRED) {
            if (c.pending != null) {
                c.pending.decision = copy(d);
                c.pending.dueAt = due;
            } else {
                state.pending.add(new PendingDecision(copy(d), c.trigger, due));
            }
        } else {
            d.deferredUntil = null;
            if (c.pending != null) {
                state.pending.removeIf(p -> p == c.pending);
            }
        }
        return d;
    }

    private void cancelWithoutConsent(
            DecisionState state, CustomerFeatures features, long now, List<Decision> out) {
        if (features == null || state.pending.isEmpty()) {
            return;
        }
        String unreachable = unreachable(features);
        if (unreachable == null) {
            return;
        }
        for (PendingDecision pending : state.pending) {
            Decision d = copy(pending.decision);
            d.outcome = Outcome.SUPPRESSED.code();
            d.reasons = new ArrayList<>(List.of(unreachable));
            d.features.replaceAll((name, old) -> text(registry().value(name, features)));
            d.decidedAt = now;
            d.deferredUntil = null;
            d.processedAt = clock.millis();
            out.add(d);
        }
        state.pending.clear();
    }

    /** Forgets sends no cap counts any more and decided triggers beyond the horizon. */
    private void prune(DecisionState state, long now) {
        // a send counts while now - at < window; one at this very moment is kept for the moment
        // rule
        long keep = Math.max(settings.longestCapWindow().toMillis(), 1);
        state.sends.removeIf(send -> now - send.at >= keep);
        long forgotten = now - settings.idempotencyHorizon().toMillis();
        if (forgotten > state.forgottenBefore) {
            state.forgottenBefore = forgotten;
            Set<String> pendingIds = new HashSet<>();
            for (PendingDecision pending : state.pending) {
                pendingIds.add(pending.decision.decisionId);
            }
            state.decided
                    .entrySet()
                    .removeIf(e -> e.getValue() < forgotten && !pendingIds.contains(e.getKey()));
        }
    }

    private Decision build(
            Candidate c,
            long flowsVersion,
            CustomerFeatures features,
            Map<String, CustomerScore> scores,
            long now) {
        Trigger t = c.trigger;
        Flow flow = c.flow;
        Decision d = new Decision();
        d.decisionId = c.decisionId;
        d.customerKey = t.customerKey;
        d.customerId = t.customerId;
        d.flowId = flow.id();
        d.flowsVersion = flowsVersion;
        if (c.pending != null) {
            d.experimentId = c.pending.decision.experimentId;
            d.variant = c.pending.decision.variant;
        }
        d.triggerKind = t.kind;
        d.triggerName = t.name;
        d.triggeringId = t.triggeringId;
        for (String model : new TreeSet<>(flow.modelsRead())) {
            CustomerScore score = scores.get(model);
            if (score != null) {
                d.modelVersions.put(model, score.version);
                d.scores.put(model, score.score);
            }
        }
        CustomerFeatures values = features != null ? features : new CustomerFeatures();
        FeatureRegistry registry = registry();
        for (String name : new TreeSet<>(flow.featuresRead())) {
            if (registry.get(name).isPresent()) {
                d.features.put(name, text(registry.value(name, values)));
            }
        }
        d.endpointId = flow.endpointId();
        d.templateId = flow.templateId();
        if (features != null) {
            d.contentBlocks = new ArrayList<>(flow.contentBlocks(features, scores));
        }
        d.recommendations =
                new ArrayList<>(t.recommendations == null ? List.of() : t.recommendations);
        d.variables = variables(t, features);
        d.triggeredAt = t.at;
        d.decidedAt = now;
        d.processedAt = clock.millis();
        return d;
    }

    /**
     * Template variables: customer id, cart, top category and the recommended products; never an
     * email address or a name of the customer.
     */
    static Map<String, String> variables(Trigger t, CustomerFeatures features) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (t.customerId != null) {
            vars.put("customer_id", t.customerId);
        }
        if (features != null) {
            vars.put("cart_items", Long.toString(features.cartItems));
            vars.put("cart_value", money(features.cartValue));
            if (features.topCategories != null && !features.topCategories.isEmpty()) {
                vars.put("top_category", features.topCategories.get(0));
            }
        }
        List<Recommendation> recs = t.recommendations == null ? List.of() : t.recommendations;
        for (int i = 0; i < Math.min(PRODUCT_VARIABLES, recs.size()); i++) {
            Recommendation rec = recs.get(i);
            String prefix = "product_" + (i + 1) + "_";
            vars.put(prefix + "id", rec.productId);
            if (rec.name != null) {
                vars.put(prefix + "name", rec.name);
            }
            if (rec.price != null) {
                vars.put(prefix + "price", money(rec.price));
            }
        }
        return vars;
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }

    /**
     * Why no email may reach the customer at all, or null: a suppressed address ({@code
     * suppressed_address: hard_bounce}) before consent ({@code no_consent: unknown}).
     */
    private static String unreachable(CustomerFeatures features) {
        if (features != null
                && "true".equals(FeatureRegistry.standard().value("suppressed", features))) {
            return Reasons.of(
                    Reasons.SUPPRESSED_ADDRESS,
                    String.valueOf(
                            FeatureRegistry.standard().value("suppression_reason", features)));
        }
        String consent = consent(features);
        return "true".equals(consent) ? null : Reasons.of(Reasons.NO_CONSENT, consent);
    }

    private static String consent(CustomerFeatures features) {
        if (features == null) {
            return "unknown";
        }
        return String.valueOf(FeatureRegistry.standard().value("email_consent", features));
    }

    /** A feature value as text; null when unknown. */
    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static Decision copy(Decision d) {
        Decision c = new Decision();
        c.decisionId = d.decisionId;
        c.customerKey = d.customerKey;
        c.customerId = d.customerId;
        c.flowId = d.flowId;
        c.flowsVersion = d.flowsVersion;
        c.experimentId = d.experimentId;
        c.variant = d.variant;
        c.outcome = d.outcome;
        c.reasons = new ArrayList<>(d.reasons);
        c.triggerKind = d.triggerKind;
        c.triggerName = d.triggerName;
        c.triggeringId = d.triggeringId;
        c.modelVersions = new LinkedHashMap<>(d.modelVersions);
        c.scores = new LinkedHashMap<>(d.scores);
        c.features = new LinkedHashMap<>(d.features);
        c.segmentRulesVersion = d.segmentRulesVersion;
        c.endpointId = d.endpointId;
        c.templateId = d.templateId;
        c.contentBlocks = new ArrayList<>(d.contentBlocks);
        c.recommendations = new ArrayList<>(d.recommendations);
        c.variables = new LinkedHashMap<>(d.variables);
        c.triggeredAt = d.triggeredAt;
        c.decidedAt = d.decidedAt;
        c.deferredUntil = d.deferredUntil;
        c.processedAt = d.processedAt;
        return c;
    }

    private static Trigger copy(Trigger t) {
        Trigger c = Trigger.of(t.customerKey, t.customerId, t.kind, t.name, t.triggeringId, t.at);
        c.recommendations =
                new ArrayList<>(t.recommendations == null ? List.of() : t.recommendations);
        c.productIds = new ArrayList<>(t.productIds == null ? List.of() : t.productIds);
        return c;
    }

    /** A trigger (new, or of a due deferred decision) and the flow it is decided for. */
    private record Candidate(
            Trigger trigger, Flow flow, String flowId, String decisionId, PendingDecision pending) {
        int priority() {
            return flow == null ? Integer.MAX_VALUE : flow.priority();
        }
    }

    /** Whether an email was sent at the present moment, and by which flow. */
    private static final class Moment {
        String sentFlow;
        boolean thisCall;
    }
}
