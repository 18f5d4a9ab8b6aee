package io.personalize.core.features;

import io.personalize.core.events.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One customer's state driven through a {@link FeatureEngine}, with Instant-based helpers. */
final class TestCustomer {
    final FeatureEngine engine;
    final CustomerState state = new CustomerState();

    TestCustomer() {
        this(FeatureConfig.defaults());
    }

    TestCustomer(FeatureConfig config) {
        this.engine = new FeatureEngine(config);
    }

    TestCustomer apply(Event... events) {
        return apply(List.of(events));
    }

    TestCustomer apply(List<Event> events) {
        for (Event event : events) {
            engine.apply(state, event);
        }
        return this;
    }

    /** The features as of the latest event applied. */
    CustomerFeatures features() {
        return engine.snapshot(state, "c:" + Events.CUSTOMER_ID, state.clock);
    }

    /** Moves the clock to {@code time} (no event) and reads the features as of then. */
    CustomerFeatures at(Instant time) {
        engine.advanceTo(state, time.toEpochMilli());
        return features();
    }

    /** The value of a registry feature as of {@code time}, default included. */
    Object value(String feature, Instant time) {
        return FeatureRegistry.standard().value(feature, at(time));
    }

    /** When a feature changes next without a new event; empty when nothing is pending. */
    Optional<Instant> nextChangeAt() {
        long next = engine.nextChangeAt(state);
        return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }

    Instant clock() {
        return Instant.ofEpochMilli(state.clock);
    }
}
