package io.personalize.models.training;

import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.privacy.PersonalDataScrubber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The events of a generated data set, per known customer and in event-time order: what the job
 * would see, parsed and validated by the same {@link EnvelopeParser}, de-duplicated by event id (as
 * the job does), without malformed records and anonymous visitors (no customer to score).
 */
public final class CustomerHistories {
    /** The hashing secret of the scrubber; only hashed e-mail fields depend on it. */
    static final String HASH_SECRET = "personalize-training";

    private final SortedMap<String, List<Event>> byCustomer;
    private final Stats stats;

    /** What reading the lines found. */
    public record Stats(long lines, long invalid, long duplicates, long anonymous, long kept) {}

    private CustomerHistories(SortedMap<String, List<Event>> byCustomer, Stats stats) {
        this.byCustomer = byCustomer;
        this.stats = stats;
    }

    /** Generates {@code lines} lines with {@code settings} and groups the valid events. */
    public static CustomerHistories generate(DemoDataGenerator.Settings settings, long lines) {
        long end = settings.start().plus(settings.span()).toEpochMilli();
        return read(new DemoDataGenerator(settings).lines(lines), end);
    }

    /**
     * Parses lines (JSON envelopes), as ingested at {@code ingestedAt} (events may lie up to a day
     * after it), and groups the valid, first-seen events of known customers.
     */
    public static CustomerHistories read(Iterator<String> lines, long ingestedAt) {
        EnvelopeParser parser =
                new EnvelopeParser(
                        new PersonalDataScrubber(HASH_SECRET),
                        EnvelopeParser.DEFAULT_MAX_BYTES,
                        Duration.ofDays(1));
        Set<String> seen = new HashSet<>();
        SortedMap<String, List<Event>> byCustomer = new TreeMap<>();
        long count = 0;
        long invalid = 0;
        long duplicates = 0;
        long anonymous = 0;
        long kept = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            count++;
            ParseResult result = parser.parse(line, "training", ingestedAt);
            if (!result.isValid()) {
                invalid++;
                continue;
            }
            Event event = result.event();
            if (event.eventId != null && !seen.add(event.eventId)) {
                duplicates++;
                continue;
            }
            if (event.customerId == null) {
                anonymous++;
                continue;
            }
            event.payload = null; // not read by the features; the bulk of an event's memory
            byCustomer.computeIfAbsent(event.customerKey(), k -> new ArrayList<>()).add(event);
            kept++;
        }
        for (List<Event> events : byCustomer.values()) {
            events.sort(Comparator.comparingLong(e -> e.occurredAt)); // stable: ties keep arrival
        }
        return new CustomerHistories(
                byCustomer, new Stats(count, invalid, duplicates, anonymous, kept));
    }

    /** Customer key ({@code c:<id>}) to events, keys sorted, events in event-time order. */
    public Map<String, List<Event>> byCustomer() {
        return Collections.unmodifiableSortedMap(byCustomer);
    }

    public Stats stats() {
        return stats;
    }
}
