package io.personalize.core.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.flows.Flow;
import io.personalize.core.scoring.CustomerScore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer as the Flink operator would drive the engine: its decision state, current features
 * (consent given, cart of 2 items, zone unknown), scores and the flows in force.
 */
final class Customer {
    static final String KEY = "c:42";
    static final String ID = "42";

    /** Processing time of every decision. */
    static final Instant PROCESSING_TIME = Instant.parse("2030-01-01T00:00:00Z");

    DecisionEngine engine;
    DecisionState state = new DecisionState();
    final CustomerFeatures features = new CustomerFeatures();
    final Map<String, CustomerScore> scores = new HashMap<>();
    final List<Flow> flows = new ArrayList<>();
    long flowsVersion = 1;

    Customer(PolicySettings settings, Flow... flows) {
        this.engine = new DecisionEngine(settings, Clock.fixed(PROCESSING_TIME, ZoneOffset.UTC));
        this.flows.addAll(List.of(flows));
        features.customerKey = KEY;
        features.customerId = ID;
        features.emailConsent = "true";
        features.cartItems = 2;
        features.cartValue = 59.9;
    }

    static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    static Trigger trigger(String pattern, String triggeringId, long at) {
        return Trigger.of(KEY, ID, Trigger.PATTERN, pattern, triggeringId, at);
    }

    /** One trigger, decided at its own time. */
    List<Decision> fire(String pattern, String triggeringId, long at) {
        return fire(at, trigger(pattern, triggeringId, at));
    }

    /** Triggers of one moment. */
    List<Decision> fire(long now, Trigger... triggers) {
        return engine.onTriggers(
                state, List.of(triggers), flows, flowsVersion, features, scores, now);
    }

    /** The timer at {@link DecisionEngine#nextWakeUp}. */
    List<Decision> timer() {
        long wakeUp = engine.nextWakeUp(state);
        if (wakeUp == Long.MAX_VALUE) {
            throw new AssertionError("no timer is due: nothing is deferred");
        }
        return timerAt(wakeUp);
    }

    List<Decision> timerAt(long now) {
        return engine.onTimer(state, flows, flowsVersion, features, scores, now);
    }

    long nextWakeUp() {
        return engine.nextWakeUp(state);
    }
}
