package io.personalize.job.customers;

import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.core.testing.Events;
import io.personalize.job.events.CustomerKeySelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Identity stitching does not depend on arrival order: the customer applies a merge the same way
 * whatever order its parts come in (a batch replay sorts a key's input by time, and they all carry
 * the login's time), and which login an anonymous event belongs to is decided by event time.
 */
class IdentityMergeOrderTest {
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final String VISITOR = "v1";
    private static final long LOGIN_AT = T0 + 10 * MINUTE;
    private static final Duration KEEP_CLOSED = Duration.ofMinutes(5);

    @Test
    void theCustomerAppliesAMergeTheSameWayWhateverOrderItsPartsComeIn() throws Exception {
        Event login = login(Events.CUSTOMER_ID, LOGIN_AT, "login");
        List<Event> parts =
                List.of(
                        login,
                        restated(Events.view("p-1", "books", T0 + MINUTE), login),
                        restated(add("p-2", "toys", T0 + 2 * MINUTE), login),
                        restated(add("p-3", "garden", T0 + 2 * MINUTE), login),
                        mergeDone(login, 3));
        Event before = Events.view("p-0", "books", T0);
        Event after = add("p-4", "books", LOGIN_AT + MINUTE);

        List<CustomerFeatures> asStreamed = customerRows(before, parts, after);
        assertThat(asStreamed.get(asStreamed.size() - 1).cartProductIds)
                .as("restated adds in (event time, event id) order, then the customer's own")
                .containsExactly("p-2", "p-3", "p-4");
        List<List<Event>> orders = new ArrayList<>();
        permutations(parts, new ArrayList<>(), orders);
        assertThat(orders).hasSize(120);
        for (List<Event> order : orders) {
            assertThat(customerRows(before, order, after))
                    .as("parts in the order %s", order)
                    .usingRecursiveFieldByFieldElementComparatorIgnoringFields("computedAt")
                    .containsExactlyElementsOf(asStreamed);
        }
    }

    @Test
    void anAnonymousEventThatComesAfterItsLoginCountsUnderThatLoginsCustomer() throws Exception {
        Event early = anonymous(Events.view("p-1", "books", T0 + MINUTE));
        Event late = anonymous(Events.view("p-2", "books", T0 + 2 * MINUTE));
        Event login = login(Events.CUSTOMER_ID, LOGIN_AT, "login");
        Event afterLogin = anonymous(Events.view("p-3", "books", LOGIN_AT + MINUTE));
        Event nextLogin = login(Events.CUSTOMER_ID, LOGIN_AT + 2 * MINUTE, "login-again");

        List<Event> inTime = identityOutput(List.of(early, late, login, afterLogin, nextLogin));
        List<Event> outOfOrder = identityOutput(List.of(early, login, late, afterLogin, nextLogin));

        assertThat(restatedTo(inTime))
                .containsExactly(
                        Map.entry(early.eventId, "c1"),
                        Map.entry(late.eventId, "c1"),
                        Map.entry(afterLogin.eventId, "c1"));
        assertThat(restatedTo(outOfOrder)).isEqualTo(restatedTo(inTime));
        assertThat(outOfOrder)
                .filteredOn(e -> e.restatedFrom != null)
                .extracting(e -> e.eventId + " by " + e.mergeOf)
                .as("the late one goes with the device's next login, whose merge counts it")
                .containsExactly(
                        early.eventId + " by login",
                        late.eventId + " by login-again",
                        afterLogin.eventId + " by login-again");
        assertThat(outOfOrder)
                .filteredOn(Event::isMergeDone)
                .extracting(e -> e.mergeOf + " " + e.restatedEvents)
                .containsExactly("login 1", "login-again 2");
        assertThat(outOfOrder)
                .filteredOn(Event::isOriginal)
                .extracting(e -> e.eventId + (e.beforeLogin ? " before login" : ""))
                .as("every event as read goes on, the late one marked for the closed key")
                .containsExactly(early.eventId, late.eventId + " before login", afterLogin.eventId);
    }

    @Test
    void aLateAnonymousEventOnASharedDeviceGoesToTheCustomerWhoLoggedInNextAfterIt()
            throws Exception {
        Event first = login("c1", LOGIN_AT, "login-c1");
        Event second = login("c2", LOGIN_AT + 30 * MINUTE, "login-c2");
        Event third = login("c2", LOGIN_AT + 60 * MINUTE, "login-c2-again");
        Event beforeFirst = anonymous(Events.view("p-1", "books", LOGIN_AT - MINUTE));
        Event betweenThem = anonymous(Events.view("p-2", "books", LOGIN_AT + 5 * MINUTE));

        List<Event> inTime =
                identityOutput(List.of(beforeFirst, first, betweenThem, second, third));
        List<Event> bothLate =
                identityOutput(List.of(first, second, betweenThem, beforeFirst, third));

        assertThat(restatedTo(inTime))
                .containsExactly(
                        Map.entry(beforeFirst.eventId, "c1"), Map.entry(betweenThem.eventId, "c2"));
        assertThat(restatedTo(bothLate)).isEqualTo(restatedTo(inTime));
    }

    @Test
    void aClosedAnonymousKeyCountsAnEventThatCameAfterTheLoginAsIfItHadComeBefore()
            throws Exception {
        Event first = anonymous(Events.view("p-1", "books", T0 + MINUTE));
        Event late = anonymous(Events.view("p-2", "toys", T0 + 2 * MINUTE));
        Event close = closeMarker(login(Events.CUSTOMER_ID, LOGIN_AT, "login"));
        Event lateAsRead = Events.with(late.copy(), e -> e.beforeLogin = true);

        List<CustomerFeatures> inTime = anonymousRows(List.of(first, late, close));
        List<CustomerFeatures> outOfOrder = anonymousRows(List.of(first, close, lateAsRead));

        assertThat(outOfOrder)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("computedAt")
                .containsExactlyElementsOf(inTime);
        assertThat(outOfOrder.get(outOfOrder.size() - 1).productViews7d).isEqualTo(2);
    }

    @Test
    void aClosedAnonymousKeyIsDroppedOnceTheWatermarkPassesTheLoginByTheOutOfOrderness()
            throws Exception {
        Event first = anonymous(Events.view("p-1", "books", T0 + MINUTE));
        Event close = closeMarker(login(Events.CUSTOMER_ID, LOGIN_AT, "login"));
        Event reopens = anonymous(Events.view("p-3", "books", LOGIN_AT + 10 * MINUTE));
        try (var h = customerHarness()) {
            h.open();
            send(h, first);
            send(h, close);
            int rows = h.extractOutputValues().size();
            h.processWatermark(new Watermark(LOGIN_AT + KEEP_CLOSED.toMillis() - 1));
            assertThat(h.numKeyedStateEntries()).as("kept for late events").isPositive();
            h.processWatermark(new Watermark(LOGIN_AT + KEEP_CLOSED.toMillis()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.extractOutputValues()).as("a closed key emits nothing").hasSize(rows);
            send(h, reopens);
            assertThat(last(h).productViews7d).as("opened afresh").isEqualTo(1);
        }
    }

    @Test
    void duplicatesOfAMergedEventAndOfALoginAreNotMergedAgain() throws Exception {
        Event view = anonymous(Events.view("p-1", "books", T0 + MINUTE));
        Event login = login(Events.CUSTOMER_ID, LOGIN_AT, "login");
        Event later = anonymous(Events.view("p-2", "books", LOGIN_AT + MINUTE));
        Event nextLogin = login(Events.CUSTOMER_ID, LOGIN_AT + 2 * MINUTE, "login-again");

        List<Event> out = identityOutput(List.of(view, login, view, login, later, nextLogin));

        assertThat(out)
                .filteredOn(e -> e.restatedFrom != null)
                .extracting(e -> e.eventId + " by " + e.mergeOf)
                .as("the customer's de-duplication would drop a second one")
                .containsExactly(view.eventId + " by login", later.eventId + " by login-again");
        assertThat(out)
                .filteredOn(Event::isMergeDone)
                .extracting(e -> e.mergeOf + " " + e.restatedEvents)
                .as("every merge counts what it sent")
                .containsExactly("login 1", "login-again 1");
    }

    @Test
    void aLoginThatComesLateMergesOnlyTheAnonymousEventsBeforeIt() throws Exception {
        Event before = anonymous(Events.view("p-1", "books", LOGIN_AT - MINUTE));
        Event after = anonymous(Events.view("p-2", "books", LOGIN_AT + MINUTE));
        Event login = login("c1", LOGIN_AT, "login");
        Event next = login("c1", LOGIN_AT + 20 * MINUTE, "login-again");

        List<Event> out = identityOutput(List.of(before, after, login, next));

        assertThat(out)
                .filteredOn(e -> e.restatedFrom != null)
                .extracting(e -> e.eventId + " by " + e.mergeOf)
                .containsExactly(before.eventId + " by login", after.eventId + " by login-again");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures>
            customerHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(
                                new FeatureEngine(FeatureConfig.defaults()),
                                Duration.ofDays(400),
                                null,
                                SegmentDefinitions.defaults())
                        .withIdentityMerges(KEEP_CLOSED),
                new CustomerKeySelector(),
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h, Event e)
            throws Exception {
        h.processElement(new StreamRecord<>(e.copy(), e.occurredAt));
    }

    private static CustomerFeatures last(
            KeyedOneInputStreamOperatorTestHarness<String, Event, CustomerFeatures> h) {
        List<CustomerFeatures> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    /** The rows of the anonymous key for {@code events}, in the order given. */
    private static List<CustomerFeatures> anonymousRows(List<Event> events) throws Exception {
        try (var h = customerHarness()) {
            h.open();
            for (Event e : events) {
                send(h, e);
            }
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** The rows of the customer for {@code before}, then {@code parts}, then {@code after}. */
    private static List<CustomerFeatures> customerRows(Event before, List<Event> parts, Event after)
            throws Exception {
        try (var h = customerHarness()) {
            h.open();
            h.processElement(new StreamRecord<>(before.copy(), before.occurredAt));
            for (Event part : parts) {
                // as a batch replay sorts them: all at the login's time
                h.processElement(new StreamRecord<>(part.copy(), LOGIN_AT));
            }
            h.processElement(new StreamRecord<>(after.copy(), after.occurredAt));
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** What the identity stage emits for a visitor's events in the order given. */
    private static List<Event> identityOutput(List<Event> input) throws Exception {
        try (var h =
                org.apache.flink.streaming.util.ProcessFunctionTestHarnesses
                        .forKeyedBroadcastProcessFunction(
                                new IdentityFunction(
                                        200, Duration.ofDays(90).toMillis(), Duration.ofDays(400)),
                                (org.apache.flink.api.java.functions.KeySelector<Event, String>)
                                        e -> e.anonymousId,
                                Types.STRING,
                                IdentityFunction.ERASURES)) {
            for (Event e : input) {
                h.processElement(new StreamRecord<>(e.copy(), e.occurredAt));
            }
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    /** Restated event id to the customer it was restated to, by id. */
    private static Map<String, String> restatedTo(List<Event> output) {
        Map<String, String> restated = new TreeMap<>();
        for (Event e : output) {
            if (e.restatedFrom != null) {
                assertThat(e.restatedFrom).isEqualTo("a:" + VISITOR);
                restated.put(e.eventId, e.customerId);
            }
        }
        return restated;
    }

    /** The marker that closes the visitor's key at {@code login}. */
    private static Event closeMarker(Event login) {
        Event close = Events.event(login.eventType, login.occurredAt);
        close.eventId = "identity-close:" + VISITOR + ":" + login.eventId;
        close.customerId = null;
        close.anonymousId = VISITOR;
        close.closesKey = true;
        return close;
    }

    private static Event login(String customerId, long at, String id) {
        return Events.with(
                Events.event(EventType.IDENTIFY, at),
                e -> {
                    e.eventId = id;
                    e.customerId = customerId;
                    e.anonymousId = VISITOR;
                });
    }

    private static Event anonymous(Event event) {
        return Events.with(
                event,
                e -> {
                    e.customerId = null;
                    e.anonymousId = VISITOR;
                });
    }

    private static Event add(String product, String category, long at) {
        return Events.with(
                Events.view(product, category, at),
                e -> {
                    e.eventType = EventType.ADD_TO_CART;
                    e.eventId = "add-" + product + "-" + at;
                });
    }

    private static Event restated(Event event, Event login) {
        return Events.with(
                event.copy(),
                e -> {
                    e.restatedFrom = "a:" + VISITOR;
                    e.mergeOf = login.eventId;
                });
    }

    private static Event mergeDone(Event login, int restated) {
        Event done = Events.event(login.eventType, login.occurredAt);
        done.eventId = "identity-merged:" + VISITOR + ":" + login.eventId;
        done.mergeOf = login.eventId;
        done.restatedEvents = restated;
        return done;
    }

    private static void permutations(List<Event> rest, List<Event> prefix, List<List<Event>> out) {
        if (rest.isEmpty()) {
            out.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < rest.size(); i++) {
            List<Event> remaining = new ArrayList<>(rest);
            prefix.add(remaining.remove(i));
            permutations(remaining, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }
}
