package io.personalize.core.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.decisions.Trigger;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.segments.SegmentEngine;
import io.personalize.core.segments.SegmentState;
import io.personalize.core.segments.TimeAnchors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped flows on the demo data, driven like the job drives features and segments per customer
 * (events in time order, timers in between): the flows that need no model score must fire for some
 * customers, and not for everyone.
 */
class DefaultFlowsOnDemoDataTest {
    private static final long LINES = 30_000;

    /** Flow id to the customers it fired for (trigger and conditions). */
    private static final Map<String, Set<String>> FIRED = new TreeMap<>();

    /** Flow id to the content block lists it chose when it fired. */
    private static final Map<String, Set<List<String>>> CONTENT = new TreeMap<>();

    private static int customers;

    @BeforeAll
    static void drive() throws Exception {
        DemoDataGenerator.Settings settings = DemoDataGenerator.defaults();
        long end = settings.start().plus(settings.span()).toEpochMilli();
        CompiledFlows flows = FlowCompiler.standard().compile(FlowDefinitions.defaults());
        SegmentEngine segments =
                new SegmentEngine(
                        SegmentCompiler.standard().compile(SegmentDefinitions.defaultsText()));
        Map<String, List<Event>> byCustomer =
                read(new DemoDataGenerator(settings).lines(LINES), end);
        customers = byCustomer.size();
        for (Map.Entry<String, List<Event>> history : byCustomer.entrySet()) {
            new Customer(history.getKey(), flows, segments).run(history.getValue(), end);
        }
    }

    /** One customer's features, segments and flow triggers, as the job's keyed operators do. */
    private static final class Customer {
        final String key;
        final CompiledFlows flows;
        final SegmentEngine segments;
        final FeatureEngine features = new FeatureEngine(FeatureConfig.defaults());
        final CustomerState state = new CustomerState();
        final SegmentState memberships = new SegmentState();
        final Map<String, Boolean> conditionHeld = new HashMap<>();

        Customer(String key, CompiledFlows flows, SegmentEngine segments) {
            this.key = key;
            this.flows = flows;
            this.segments = segments;
        }

        void run(List<Event> events, long end) {
            for (Event event : events) {
                advanceTo(event.occurredAt - 1);
                features.apply(state, event);
                evaluate();
            }
            advanceTo(end);
        }

        void advanceTo(long time) {
            for (long next = nextTimer(); next <= time; next = nextTimer()) {
                features.advanceTo(state, next);
                evaluate();
            }
        }

        long nextTimer() {
            return Math.min(
                    features.nextChangeAt(state),
                    segments.nextChangeAt(snapshot(), TimeAnchors.of(features, state)));
        }

        CustomerFeatures snapshot() {
            return features.snapshot(state, key, 0L);
        }

        void evaluate() {
            CustomerFeatures f = snapshot();
            List<Trigger> triggers = new ArrayList<>();
            for (SegmentEngine.Transition t :
                    segments.evaluate(memberships, f, TimeAnchors.of(features, state))) {
                if (t.entered() || t.exited()) {
                    String kind = t.entered() ? Trigger.SEGMENT_ENTERED : Trigger.SEGMENT_EXITED;
                    triggers.add(Trigger.of(key, f.customerId, kind, t.segmentId(), "s", f.asOf));
                }
            }
            f.segments = segments.members(memberships);
            for (Flow flow : flows.conditionFlows()) {
                boolean holds = flow.triggerConditionHolds(f, Map.of());
                Boolean before = conditionHeld.put(flow.id(), holds);
                if (holds && !Boolean.TRUE.equals(before)) {
                    triggers.add(
                            Trigger.of(
                                    key, f.customerId, Trigger.CONDITION, flow.id(), "c", f.asOf));
                }
            }
            for (Trigger trigger : triggers) {
                for (Flow flow : flows.triggeredBy(trigger)) {
                    if (flow.failedConditions(f, Map.of()).isEmpty()) {
                        FIRED.computeIfAbsent(flow.id(), k -> new HashSet<>()).add(key);
                        CONTENT.computeIfAbsent(flow.id(), k -> new HashSet<>())
                                .add(flow.contentBlocks(f, Map.of()));
                    }
                }
            }
        }
    }

    private static Map<String, List<Event>> read(Iterator<String> lines, long ingestedAt) {
        EnvelopeParser parser =
                new EnvelopeParser(
                        new PersonalDataScrubber("flows-test-secret-0123456789"),
                        EnvelopeParser.DEFAULT_MAX_BYTES,
                        Duration.ofDays(1));
        Set<String> seen = new HashSet<>();
        Map<String, List<Event>> byCustomer = new TreeMap<>();
        while (lines.hasNext()) {
            ParseResult result = parser.parse(lines.next(), "test", ingestedAt);
            if (!result.isValid()) {
                continue;
            }
            Event event = result.event();
            if (event.customerId == null || (event.eventId != null && !seen.add(event.eventId))) {
                continue;
            }
            byCustomer.computeIfAbsent(event.customerKey(), k -> new ArrayList<>()).add(event);
        }
        byCustomer.values().forEach(l -> l.sort(Comparator.comparingLong(e -> e.occurredAt)));
        return byCustomer;
    }

    @Test
    void winBackFiresForSomeCustomersEnteringLapsedCustomers() {
        assertThat(FIRED.getOrDefault("win_back", Set.of()))
                .hasSizeGreaterThan(10)
                .hasSizeLessThan(customers / 2);
    }

    @Test
    void loyaltyAppreciationFiresForSomeCustomersNotForMost() {
        assertThat(FIRED.getOrDefault("loyalty_appreciation", Set.of()))
                .hasSizeGreaterThan(5)
                .hasSizeLessThan(customers / 2);
    }

    @Test
    void loyaltyContentGivesFrequentBuyersTheBannerAndOthersTheLatestProducts() {
        assertThat(CONTENT.get("loyalty_appreciation"))
                .containsExactlyInAnyOrder(
                        List.of("loyalty_banner", "exclusive_discount"),
                        List.of("latest_products"));
    }

    @Test
    void churnSaveWaitsForAChurnScore() {
        assertThat(FIRED).doesNotContainKey("churn_save");
    }
}
