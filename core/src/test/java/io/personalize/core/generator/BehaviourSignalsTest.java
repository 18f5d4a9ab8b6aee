package io.personalize.core.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The data must carry learnable, consistent behaviour, not just valid-looking events. */
class BehaviourSignalsTest {

    private static final long START = DemoDataGenerator.defaults().start().toEpochMilli();
    private static final long MID = START + DemoDataGenerator.defaults().span().toMillis() / 2;

    private static List<EnvelopeCheck.Result> validEvents(long n) {
        List<EnvelopeCheck.Result> events = new ArrayList<>();
        for (String line : DemoDataGeneratorTest.sample(n)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                events.add(r);
            }
        }
        return events;
    }

    private static boolean isOrder(EnvelopeCheck.Result r) {
        return r.type().equals("order_completed") || r.type().equals("order_line");
    }

    @Test
    void topQuartileBuyersOfTheFirstHalfOrderMoreInTheSecondHalfThanTheBottomQuartile() {
        double[] means = quartileMeans(BehaviourSignalsTest::isOrder);
        assertThat(means[1]).isGreaterThan(2 * means[0]);
    }

    @Test
    void topQuartileOpenersOfTheFirstHalfOpenMoreInTheSecondHalf() {
        double[] means = quartileMeans(r -> r.type().equals("email_opened"));
        assertThat(means[1]).isGreaterThan(2 * means[0]);
    }

    /** Second-half mean of {bottom, top} quartile of customers ranked by first-half count. */
    private static double[] quartileMeans(Predicate<EnvelopeCheck.Result> counted) {
        Map<String, Set<String>> firstHalf = new TreeMap<>();
        Map<String, Set<String>> secondHalf = new HashMap<>();
        for (EnvelopeCheck.Result r : validEvents(100_000)) {
            if (r.type().equals("profile_updated")) {
                firstHalf.computeIfAbsent(r.customerId(), k -> new HashSet<>());
            }
            if (counted.test(r)) {
                String key =
                        r.event()
                                .path("order")
                                .path("order_id")
                                .asText(r.event().get("event_id").asText());
                (r.occurredAtMillis() < MID ? firstHalf : secondHalf)
                        .computeIfAbsent(r.customerId(), k -> new HashSet<>())
                        .add(key);
            }
        }
        List<String> ranked = new ArrayList<>(firstHalf.keySet());
        ranked.sort(Comparator.comparingInt(c -> firstHalf.get(c).size()));
        int quarter = ranked.size() / 4;
        assertThat(quarter).isGreaterThan(100);
        double bottom = 0;
        double top = 0;
        for (int i = 0; i < quarter; i++) {
            bottom += secondHalf.getOrDefault(ranked.get(i), Set.of()).size();
            top += secondHalf.getOrDefault(ranked.get(ranked.size() - 1 - i), Set.of()).size();
        }
        return new double[] {bottom / quarter, top / quarter};
    }

    @Test
    void orderTotalsAreTheSumOfTheirItems() {
        for (EnvelopeCheck.Result r : validEvents(50_000)) {
            if (r.type().startsWith("order_")) {
                JsonNode order = r.event().get("order");
                long cents = 0;
                for (JsonNode item : order.get("items")) {
                    cents +=
                            Math.round(item.get("price").asDouble() * 100)
                                    * item.get("quantity").asLong();
                }
                assertThat(Math.round(order.get("total").asDouble() * 100)).isEqualTo(cents);
                assertThat(order.get("currency").asText()).isEqualTo("EUR");
            }
        }
    }

    @Test
    void cancellationsAndRefundsReferToAnEarlierOrderOfTheSameCustomer() {
        Map<String, String> customerByOrder = new HashMap<>();
        Map<String, Long> timeByOrder = new HashMap<>();
        Map<String, Double> totalByOrder = new HashMap<>();
        int takenBack = 0;
        for (EnvelopeCheck.Result r : validEvents(50_000)) {
            JsonNode order = r.event().path("order");
            String id = order.path("order_id").asText();
            if (isOrder(r)) {
                customerByOrder.put(id, r.customerId());
                timeByOrder.putIfAbsent(id, r.occurredAtMillis());
                totalByOrder.merge(id, order.get("total").asDouble(), Double::sum);
            } else if (r.type().equals("order_cancelled") || r.type().equals("order_refunded")) {
                takenBack++;
                assertThat(customerByOrder).containsEntry(id, r.customerId());
                assertThat(r.occurredAtMillis()).isGreaterThan(timeByOrder.get(id));
                assertThat(order.get("total").asDouble())
                        .isLessThanOrEqualTo(totalByOrder.get(id) + 0.001);
            }
        }
        assertThat(takenBack).isGreaterThan(50);
    }

    @Test
    void noCampaignIsDeliveredWhileConsentIsWithdrawn() {
        Map<String, List<EnvelopeCheck.Result>> byCustomer = new HashMap<>();
        for (EnvelopeCheck.Result r : validEvents(100_000)) {
            if (r.type().equals("consent_changed") || r.type().equals("email_delivered")) {
                byCustomer.computeIfAbsent(r.customerId(), k -> new ArrayList<>()).add(r);
            }
        }
        int withdrawn = 0;
        for (List<EnvelopeCheck.Result> events : byCustomer.values()) {
            events.sort(Comparator.comparingLong(EnvelopeCheck.Result::occurredAtMillis));
            boolean consent = false;
            for (EnvelopeCheck.Result r : events) {
                if (r.type().equals("consent_changed")) {
                    consent = r.event().get("consent").get("granted").asBoolean();
                    withdrawn += consent ? 0 : 1;
                } else {
                    assertThat(consent).as("consent when %s", r.event()).isTrue();
                }
            }
        }
        assertThat(withdrawn).isGreaterThan(50);
    }

    @Test
    void anonymousVisitorsAreLinkedByIdentifyWithinTheSession() {
        Map<String, String> customerBySession = new HashMap<>();
        Set<String> anonymousSessions = new HashSet<>();
        int identifies = 0;
        for (EnvelopeCheck.Result r : validEvents(50_000)) {
            String session = r.event().path("session_id").asText(null);
            if (r.type().equals("identify")) {
                identifies++;
                assertThat(r.event().get("anonymous_id").asText()).startsWith("anon-");
                customerBySession.put(session, r.customerId());
            } else if (session != null && r.customerId() == null) {
                anonymousSessions.add(session);
            }
        }
        assertThat(identifies).isGreaterThan(300);
        long linked = anonymousSessions.stream().filter(customerBySession::containsKey).count();
        assertThat(linked).isGreaterThan(anonymousSessions.size() / 2);
    }
}
