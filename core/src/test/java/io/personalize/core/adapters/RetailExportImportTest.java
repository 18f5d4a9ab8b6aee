package io.personalize.core.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.personalize.core.events.Event;
import io.personalize.core.events.LineReader;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import io.personalize.core.events.TestParsers;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureDefinition;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.features.FeatureRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A retail export as R's {@code write.csv} leaves a random sample of the UCI Online Retail data
 * ({@code imports/online_retail_r_sample.csv}): a byte-order mark, every name and string quoted,
 * {@code NA} for a missing customer id or description, rows shuffled, one line of invoice 536500
 * first and another last (months of the customer's later orders between them), cancellations of
 * customer 12350 exceeding their purchases, and a trailing empty line. Read the way the file source
 * reads it (bytes, {@link LineReader}, {@link RecordIntake}).
 */
class RetailExportImportTest {
    private static final String FIXTURE = "/imports/online_retail_r_sample.csv";
    private static final Set<String> DECAYED = Set.of("category_affinity", "attribute_score");

    private static final List<ParseResult> RESULTS = new ArrayList<>();

    @BeforeAll
    static void readTheFixture() throws IOException {
        RecordIntake intake =
                new RecordIntake(
                        new RetailCsvParser(TestParsers.envelopeParser(), ZoneOffset.UTC, "GBP"),
                        64 * 1024);
        try (InputStream in = RetailExportImportTest.class.getResourceAsStream(FIXTURE)) {
            LineReader reader = new LineReader(in, 0, 64 * 1024, "online_retail_r_sample.csv");
            for (RawRecord r = reader.next(); r != null; r = reader.next()) {
                RESULTS.add(intake.parse(r, "online_retail_r_sample.csv", TestParsers.NOW));
            }
        }
    }

    @Test
    void everyRowIsReadAndTheQuotedHeaderAndTheTrailingEmptyLineAreSkipped() {
        assertThat(RESULTS.stream().filter(ParseResult::isInvalid).map(ParseResult::deadLetter))
                .isEmpty();
        assertThat(RESULTS.stream().filter(ParseResult::isValid)).hasSize(29);
        assertThat(RESULTS.stream().filter(r -> !r.isValid() && !r.isInvalid())).hasSize(2);
    }

    @Test
    void rowsWithoutACustomerIdAreGuestRowsAndNaIsAMissingValue() {
        List<Event> events = events();

        assertThat(events.stream().filter(RetailCsvParser::isGuestRow))
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.anonymousId).startsWith("invoice:"));
        assertThat(events.stream().filter(e -> "NA".equals(e.customerId))).isEmpty();
        assertThat(events.stream().flatMap(e -> e.items.stream()).filter(i -> i.name == null))
                .hasSize(1);
    }

    @Test
    void theShuffledFileGivesTheFeaturesOfTheSortedFile() {
        List<Event> file = events();
        List<Event> sorted = new ArrayList<>(file);
        sorted.sort(Comparator.comparingLong(e -> e.occurredAt));

        Map<String, CustomerFeatures> fromFile = featuresByCustomer(file);
        Map<String, CustomerFeatures> fromSorted = featuresByCustomer(sorted);

        assertThat(fromFile.keySet()).containsExactly("12347", "12350", "13047", "17850");
        fromSorted.forEach(
                (customer, expected) -> {
                    CustomerFeatures actual = fromFile.get(customer);
                    for (FeatureDefinition feature : FeatureRegistry.standard().all()) {
                        if (!DECAYED.contains(feature.name())) {
                            assertThat(FeatureRegistry.standard().value(feature.name(), actual))
                                    .as(customer + " " + feature.name())
                                    .isEqualTo(
                                            FeatureRegistry.standard()
                                                    .value(feature.name(), expected));
                        }
                    }
                });
    }

    @Test
    void ordersAreCountedOnceAndCancellationsExceedingPurchasesGiveANegativeRevenue() {
        Map<String, CustomerFeatures> features = featuresByCustomer(events());

        // 536500 (its lines first and last in the file), 548955, 562032, 573511
        assertThat(features.get("12347").lifetimeOrders).isEqualTo(4);
        assertThat(features.get("12347").lifetimeRevenue)
                .isCloseTo(
                        6 * 2.55 + 4 * 3.39 + 8 * 2.75 + 8 * 4.25 + 12 * 1.65 + 24 * 2.08,
                        within(1e-9));
        // one order of 25.20; cancellations of 40.00 and 4.20 match no order of the sample
        assertThat(features.get("12350").lifetimeOrders).isEqualTo(1);
        assertThat(features.get("12350").lifetimeRevenue).isCloseTo(-19.0, within(1e-9));
        // 536367 cancelled line by line (C536367): not an order
        assertThat(features.get("13047").lifetimeOrders).isEqualTo(2);
        assertThat(features.get("17850").lifetimeOrders).isEqualTo(5);
    }

    private static List<Event> events() {
        return RESULTS.stream().filter(ParseResult::isValid).map(ParseResult::event).toList();
    }

    /**
     * Each customer's events (guest rows left out) through one feature engine, in the given order.
     */
    private static Map<String, CustomerFeatures> featuresByCustomer(List<Event> events) {
        FeatureEngine engine = new FeatureEngine(FeatureConfig.defaults());
        Map<String, CustomerState> states = new TreeMap<>();
        for (Event event : events) {
            if (!RetailCsvParser.isGuestRow(event)) {
                engine.apply(
                        states.computeIfAbsent(event.customerId, c -> new CustomerState()), event);
            }
        }
        Map<String, CustomerFeatures> features = new TreeMap<>();
        states.forEach(
                (customer, state) ->
                        features.put(customer, engine.snapshot(state, "c:" + customer, 0L)));
        return features;
    }
}
