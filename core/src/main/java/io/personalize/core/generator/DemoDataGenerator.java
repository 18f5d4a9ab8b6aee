package io.personalize.core.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Deterministic demo data for the personalization engine: JSON Lines in the event envelope of
 * {@code docs/event-envelope.md} (web sessions, orders, e-mail, CRM), with a configurable share of
 * malformed records, a few exact duplicates and slightly late events.
 *
 * <p>Each simulated customer has latent traits (purchase rate, basket size, price level, e-mail
 * engagement, preferred categories, churn, time zone, ...) and a lazily simulated {@link
 * CustomerTimeline}; the timelines are merged by time with a priority queue. Output is a pure
 * function of the {@link Settings} and the number of lines.
 *
 * <p><b>Exact count and full span.</b> To emit exactly {@code events} lines while every customer
 * covers the whole span, {@link #lines(long)} first replays customer timelines one after another
 * only to count their lines (nothing is rendered or kept) until the running total reaches {@code
 * events}; the last of those customers is cut off where the total is reached. The customer count
 * therefore follows from {@code events / eventsPerCustomerHint} (at least {@value #MIN_CUSTOMERS}).
 *
 * <p><b>Memory.</b> The iterator holds one small timeline per customer (traits, a few pending
 * tasks, the events of a session in progress); a timeline only runs when the merge reaches its next
 * activity. 2,000,000 lines (about 25,000 customers, ~560 MB of text) stream through a 200 MB heap
 * in about ten seconds; counting costs about a third of that.
 */
public final class DemoDataGenerator {

    /** Fewest customers a data set has (unless it has fewer lines than that needs). */
    static final int MIN_CUSTOMERS = 10;

    /** Mean lines per customer over {@link #REFERENCE_SPAN} at intensity 1 (measured). */
    static final double LINES_PER_CUSTOMER_AT_UNIT_INTENSITY = 80.0;

    static final Duration REFERENCE_SPAN = Duration.ofDays(150);

    private static final int MAX_PLAN_ATTEMPTS = 8;

    /** Default simulated start 2025-01-06T00:00:00Z, 150 days, seed 42, malformed share 0.01. */
    public static Settings defaults() {
        return new Settings(42L, Instant.parse("2025-01-06T00:00:00Z"), REFERENCE_SPAN, 0.01, 80);
    }

    /**
     * What the generated data depends on.
     *
     * @param seed seed of all randomness
     * @param start first instant of the simulated span
     * @param span length of the simulated span; all event times are in {@code [start, start+span)}
     * @param malformedShare share of lines that are malformed records, in {@code [0, 0.5]}
     * @param eventsPerCustomerHint about how many lines one customer produces over the span
     */
    public record Settings(
            long seed,
            Instant start,
            Duration span,
            double malformedShare,
            int eventsPerCustomerHint) {

        public Settings {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(span, "span");
            if (span.compareTo(Duration.ofDays(1)) < 0) {
                throw new IllegalArgumentException("span must be at least one day: " + span);
            }
            if (!(malformedShare >= 0 && malformedShare <= 0.5)) {
                throw new IllegalArgumentException(
                        "malformedShare not in [0, 0.5]: " + malformedShare);
            }
            if (eventsPerCustomerHint < 5) {
                throw new IllegalArgumentException(
                        "eventsPerCustomerHint below 5: " + eventsPerCustomerHint);
            }
        }

        public Settings withSeed(long value) {
            return new Settings(value, start, span, malformedShare, eventsPerCustomerHint);
        }

        public Settings withStart(Instant value) {
            return new Settings(seed, value, span, malformedShare, eventsPerCustomerHint);
        }

        public Settings withSpan(Duration value) {
            return new Settings(seed, start, value, malformedShare, eventsPerCustomerHint);
        }

        public Settings withMalformedShare(double value) {
            return new Settings(seed, start, span, value, eventsPerCustomerHint);
        }

        public Settings withEventsPerCustomerHint(int value) {
            return new Settings(seed, start, span, malformedShare, value);
        }
    }

    /** How a run is laid out: the world, how many customers, and where the last one is cut. */
    record Plan(World world, int customers, long lastCustomerLines) {}

    private final Settings settings;

    public DemoDataGenerator(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Exactly {@code events} lines (JSON envelope objects one per line, or malformed records), in
     * near event-time order. Deterministic for a given Settings and event count. Lazy: does not
     * hold all events in memory, whatever {@code events} is.
     */
    public Iterator<String> lines(long events) {
        if (events < 0) {
            throw new IllegalArgumentException("events < 0: " + events);
        }
        if (events == 0) {
            return Collections.emptyIterator();
        }
        return new MergedLines(plan(events));
    }

    /** Writes lines(events) to a file, one per line, UTF-8, '\n' endings. */
    public void writeTo(Path file, long events) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Iterator<String> it = lines(events);
            while (it.hasNext()) {
                out.write(it.next());
                out.write('\n');
            }
        }
    }

    /**
     * Chooses the intensity from the hint, then counts customer timelines until they hold {@code
     * events} lines. If that takes fewer than {@value #MIN_CUSTOMERS} customers (tiny runs), the
     * intensity is lowered and the count repeated.
     */
    Plan plan(long events) {
        int hint = settings.eventsPerCustomerHint();
        double intensity =
                hint
                        / LINES_PER_CUSTOMER_AT_UNIT_INTENSITY
                        * REFERENCE_SPAN.toMillis()
                        / settings.span().toMillis();
        double perCustomer = Math.min(hint, (double) events / MIN_CUSTOMERS);
        intensity *= perCustomer / hint;
        Plan plan = null;
        for (int attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
            plan = count(new World(settings, intensity), events);
            if (plan.customers() >= MIN_CUSTOMERS) {
                break;
            }
            intensity *= 0.6;
        }
        return plan;
    }

    private static Plan count(World world, long events) {
        long total = 0;
        for (int c = 0; ; c++) {
            long n = new CustomerTimeline(world, c, Long.MAX_VALUE).countLines();
            if (total + n >= events) {
                return new Plan(world, c + 1, events - total);
            }
            total += n;
        }
    }

    /** Merges the customers' timelines by line key; ties go to the lower customer index. */
    private static final class MergedLines implements Iterator<String> {
        private final PriorityQueue<CustomerTimeline> queue =
                new PriorityQueue<>(
                        Comparator.comparingLong(CustomerTimeline::peekKey)
                                .thenComparingInt(CustomerTimeline::index));
        private String next;

        MergedLines(Plan plan) {
            for (int c = 0; c < plan.customers(); c++) {
                long limit = c == plan.customers() - 1 ? plan.lastCustomerLines() : Long.MAX_VALUE;
                CustomerTimeline timeline = new CustomerTimeline(plan.world(), c, limit);
                if (!timeline.exhausted()) {
                    queue.add(timeline);
                }
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !queue.isEmpty()) {
                CustomerTimeline timeline = queue.poll();
                CustomerTimeline.Line line = timeline.step();
                if (!timeline.exhausted()) {
                    queue.add(timeline);
                }
                if (line != null) {
                    next = line.text();
                }
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            return line;
        }
    }
}
