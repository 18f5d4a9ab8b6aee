package io.personalize.core.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.EventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoDataGeneratorTest {

    private static final DemoDataGenerator.Settings DEFAULTS = DemoDataGenerator.defaults();
    private static final Map<Long, List<String>> SAMPLES = new ConcurrentHashMap<>();

    /** Default-settings output of {@code n} lines, generated once per size. */
    static List<String> sample(long n) {
        return SAMPLES.computeIfAbsent(n, k -> generate(DEFAULTS, k));
    }

    static List<String> generate(DemoDataGenerator.Settings settings, long n) {
        List<String> lines = new ArrayList<>();
        new DemoDataGenerator(settings).lines(n).forEachRemaining(lines::add);
        return lines;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS.seed()).isEqualTo(42L);
        assertThat(DEFAULTS.start()).isEqualTo(Instant.parse("2025-01-06T00:00:00Z"));
        assertThat(DEFAULTS.span()).isEqualTo(Duration.ofDays(150));
        assertThat(DEFAULTS.malformedShare()).isEqualTo(0.01);
    }

    @Test
    void sameSettingsGiveIdenticalLines() {
        assertThat(generate(DEFAULTS, 5_000)).isEqualTo(generate(DEFAULTS, 5_000));
    }

    @Test
    void differentSeedGivesDifferentLines() {
        List<String> base = generate(DEFAULTS, 5_000);
        List<String> other = generate(DEFAULTS.withSeed(43), 5_000);
        assertThat(other).hasSize(5_000).isNotEqualTo(base);
        Set<String> otherLines = new HashSet<>(other);
        long shared = base.stream().filter(l -> !l.isBlank() && otherLines.contains(l)).count();
        assertThat(shared).isLessThan(50);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 60, 999, 5_000, 23_456})
    void emitsExactlyTheRequestedNumberOfLines(long n) {
        assertThat(generate(DEFAULTS, n)).hasSize((int) n);
    }

    @Test
    void zeroEventsGiveNoLines() {
        assertThat(new DemoDataGenerator(DEFAULTS).lines(0).hasNext()).isFalse();
    }

    @Test
    void aboutOnePercentOfLinesAreMalformed() {
        List<String> lines = sample(20_000);
        long bad = lines.stream().filter(l -> !EnvelopeCheck.check(l).valid()).count();
        assertThat(bad / (double) lines.size()).isBetween(0.005, 0.02);
    }

    @Test
    void malformedShareFollowsTheSetting() {
        List<String> lines = generate(DEFAULTS.withMalformedShare(0.1), 20_000);
        long bad = lines.stream().filter(l -> !EnvelopeCheck.check(l).valid()).count();
        assertThat(bad / (double) lines.size()).isBetween(0.08, 0.12);
        List<String> clean = generate(DEFAULTS.withMalformedShare(0), 5_000);
        assertThat(clean).allMatch(l -> EnvelopeCheck.check(l).valid());
    }

    @ParameterizedTest
    @ValueSource(longs = {5_000, 100_000})
    void validEventsCoverTheWholeSpan(long n) {
        long start = DEFAULTS.start().toEpochMilli();
        long end = start + DEFAULTS.span().toMillis();
        long week = Duration.ofDays(7).toMillis();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (String line : sample(n)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                min = Math.min(min, r.occurredAtMillis());
                max = Math.max(max, r.occurredAtMillis());
            }
        }
        assertThat(min).isGreaterThanOrEqualTo(start).isLessThan(start + week);
        assertThat(max).isLessThan(end).isGreaterThanOrEqualTo(end - week);
    }

    @Test
    void shortSpansAndOtherStartsAreRespected() {
        Instant start = Instant.parse("2024-11-01T00:00:00Z");
        DemoDataGenerator.Settings settings =
                DEFAULTS.withStart(start).withSpan(Duration.ofDays(14)).withSeed(7);
        long end = start.plus(Duration.ofDays(14)).toEpochMilli();
        long max = Long.MIN_VALUE;
        for (String line : generate(settings, 10_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                assertThat(r.occurredAtMillis()).isBetween(start.toEpochMilli(), end - 1);
                max = Math.max(max, r.occurredAtMillis());
            }
        }
        assertThat(max).isGreaterThan(end - Duration.ofDays(1).toMillis());
    }

    @Test
    void noValidEventIsMoreThanTenMinutesEarlierThanAnyBefore() {
        long maxSeen = Long.MIN_VALUE;
        long worstLag = 0;
        for (String line : sample(100_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                if (maxSeen != Long.MIN_VALUE) {
                    worstLag = Math.max(worstLag, maxSeen - r.occurredAtMillis());
                }
                maxSeen = Math.max(maxSeen, r.occurredAtMillis());
            }
        }
        assertThat(worstLag).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
    }

    /**
     * A request, not behaviour: the demo data erases nobody. Custom events are a business's own
     * (declared features count them, tests send them): the demo history stays as it was without
     * them, since every added event shifts what the first N lines hold.
     */
    private static final Set<String> NOT_GENERATED =
            Set.of(EventType.ERASURE_REQUESTED.wireName(), EventType.CUSTOM.wireName());

    @Test
    void everyEventTypeOfTheEnvelopeAppearsIn50000Lines() {
        Set<String> seen = new HashSet<>();
        for (String line : sample(50_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                seen.add(r.type());
            }
        }
        Set<String> expected = new HashSet<>(EnvelopeCheck.EVENT_TYPES);
        expected.removeAll(NOT_GENERATED);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void eventTypesAndDeadLetterReasonsMatchTheEnvelopeDoc() throws IOException {
        Path doc = Path.of("../docs/event-envelope.md");
        assertThat(doc)
                .as("docs/event-envelope.md from %s", Path.of(".").toAbsolutePath())
                .exists();
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        String types = text.substring(text.indexOf("## Event types"), text.indexOf("## Personal"));
        String reasons = text.substring(text.indexOf("## Dead-letter reasons"));
        assertThat(firstColumnNames(types)).isEqualTo(EnvelopeCheck.EVENT_TYPES);
        Set<String> kindReasons = new HashSet<>();
        for (MalformedRecords.Kind kind : MalformedRecords.Kind.values()) {
            kindReasons.add(kind.deadLetterReason());
        }
        assertThat(firstColumnNames(reasons)).containsAll(kindReasons);
    }

    /** The back-quoted names in the first column of the body rows of a Markdown table. */
    private static Set<String> firstColumnNames(String markdown) {
        Set<String> names = new HashSet<>();
        boolean body = false;
        for (String row : markdown.split("\n")) {
            if (row.startsWith("|---")) {
                body = true;
                continue;
            }
            String[] cells = row.split("\\|");
            if (body && row.startsWith("|") && cells.length > 2) {
                Matcher m = Pattern.compile("`([a-z_]+)`").matcher(cells[1]);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @Test
    void eventIdsAreUniqueExceptExactDuplicateLines() {
        List<String> lines = sample(50_000);
        Map<String, String> byId = new HashMap<>();
        int duplicates = 0;
        for (String line : lines) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (!r.valid()) {
                continue;
            }
            String previous = byId.putIfAbsent(r.event().get("event_id").asText(), line);
            if (previous != null) {
                assertThat(line).as("a re-used event id is an exact re-send").isEqualTo(previous);
                duplicates++;
            }
        }
        assertThat(duplicates / (double) lines.size()).isBetween(0.001, 0.006);
    }

    @Test
    void timestampsComeMostlyAsUtcMillisSometimesAsEpochOrWithOffset() {
        int epoch = 0;
        int offset = 0;
        int utc = 0;
        for (String line : sample(50_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (!r.valid()) {
                continue;
            }
            String t = r.event().get("occurred_at").asText();
            if (r.event().get("occurred_at").isNumber()) {
                epoch++;
            } else if (t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")) {
                utc++;
            } else if (t.matches(".*\\.\\d{3}[+-]\\d\\d:\\d\\d")) {
                offset++;
            }
        }
        int total = epoch + offset + utc;
        assertThat(total).isGreaterThan(49_000);
        assertThat(epoch / (double) total).isBetween(0.01, 0.03);
        assertThat(offset / (double) total).isBetween(0.005, 0.02);
    }

    @Test
    void customerCountFollowsTheHint() {
        assertThat(customers(generate(DEFAULTS, 40_000))).isBetween(350, 700);
        assertThat(customers(generate(DEFAULTS.withEventsPerCustomerHint(40), 40_000)))
                .isBetween(700, 1400);
        assertThat(customers(generate(DEFAULTS, 200))).isGreaterThanOrEqualTo(10);
    }

    private static int customers(List<String> lines) {
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid() && r.customerId() != null) {
                ids.add(r.customerId());
            }
        }
        return ids.size();
    }

    @Test
    void writeToWritesTheSameLinesAsUtf8WithNewlines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/events.jsonl");
        new DemoDataGenerator(DEFAULTS).writeTo(file, 3_000);
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).endsWith("\n").doesNotContain("\r");
        assertThat(content).isEqualTo(String.join("\n", generate(DEFAULTS, 3_000)) + "\n");
    }

    /**
     * The iterator is lazy (one small timeline per customer, events rendered as they are asked
     * for), so 2,000,000 lines stream in bounded memory; this runs a smaller but sizeable count.
     */
    @Test
    void iterates300000LinesLazily() {
        Iterator<String> it = new DemoDataGenerator(DEFAULTS.withSeed(99)).lines(300_000);
        long n = 0;
        long bytes = 0;
        while (it.hasNext()) {
            bytes += it.next().length();
            n++;
        }
        assertThat(n).isEqualTo(300_000);
        assertThat(bytes).isGreaterThan(300_000L * 100);
    }
}
