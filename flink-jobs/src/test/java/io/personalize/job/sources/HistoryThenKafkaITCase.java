package io.personalize.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.decisions.Decision;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.ParseResult;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.KafkaSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.testing.KafkaBroker;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new deployment reading its history: generated events of the last 150 days, the first 120 days
 * in a history file and the last 30 on a real Kafka topic, read as {@code history-then-kafka}.
 * Compared with a plain run over the same events from one file: the same final features for every
 * customer; and no trigger of the history is sent (all {@code replayed}, the live horizon set at
 * the split), while the live part still sends. The history file is shuffled, as an unsorted export
 * is: both runs stream their files from the time-ordered copy ({@link EventTimeOrder}), as {@code
 * run} does with {@code personalize.input.order: event-time}.
 *
 * <p>Both runs at parallelism 1, so that both end at the same event time (each subtask of a bounded
 * run stops time at the last event it saw).
 */
class HistoryThenKafkaITCase {
    private static final int EVENTS = 10_000;
    private static final Duration SPAN = Duration.ofDays(150);
    private static final Duration HISTORY = Duration.ofDays(120);
    private static final String TOPIC = "live-events";

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir Path tmp;

    @Test
    void historyThenKafkaGivesThePlainRunsFeaturesAndReplaysEveryHistoricalTrigger()
            throws Exception {
        Instant start = Instant.now().minus(SPAN).truncatedTo(ChronoUnit.DAYS);
        Instant split = start.plus(HISTORY);
        List<String> history = new ArrayList<>();
        List<String> live = new ArrayList<>();
        splitAt(split, generate(start), history, live);
        // The history as an unsorted export holds it: both runs stream it in event-time order.
        Collections.shuffle(history, new Random(17));
        Path historyFile = Files.write(tmp.resolve("history.jsonl"), history);
        List<String> all = new ArrayList<>(history);
        all.addAll(live);
        Path allFile = Files.write(tmp.resolve("all.jsonl"), all);
        Path allOrdered = ordered(allFile, "all");
        Path historyOrdered = ordered(historyFile, "history");
        KAFKA.createTopic(TOPIC, 1);
        KAFKA.produce(TOPIC, live, line -> null);
        Duration liveHorizon = Duration.between(split, Instant.now());

        Run plain =
                run(
                        "plain",
                        conf(null),
                        (env, conf) ->
                                FileInputs.ordered(env, allFile, allOrdered, InputFormat.ENVELOPE));
        Run hybrid =
                run(
                        "hybrid",
                        conf(liveHorizon),
                        (env, conf) ->
                                KafkaInputs.historyThenKafka(
                                        env,
                                        historyFile,
                                        historyOrdered,
                                        KafkaSettings.from(conf).withStopAtLatest(),
                                        InputFormat.ENVELOPE));

        assertThat(history).hasSizeGreaterThan(EVENTS / 2);
        assertThat(live).hasSizeGreaterThan(EVENTS / 10);
        Map<String, CustomerFeatures> plainLast = lastPerCustomer(plain.features());
        Map<String, CustomerFeatures> hybridLast = lastPerCustomer(hybrid.features());
        assertThat(hybridLast).hasSizeGreaterThan(50);
        assertThat(hybridLast.keySet()).isEqualTo(plainLast.keySet());
        for (var entry : plainLast.entrySet()) {
            CustomerFeatures expected = entry.getValue();
            CustomerFeatures actual = hybridLast.get(entry.getKey());
            assertThat(actual)
                    .as("features of %s", entry.getKey())
                    .usingRecursiveComparison()
                    // processing times of the same moment
                    .ignoringFields("computedAt", "segmentChanges.processedAt")
                    .withComparatorForType(HistoryThenKafkaITCase::closeEnough, Double.class)
                    .isEqualTo(expected);
        }

        long splitMillis = split.toEpochMilli();
        List<Decision> historical =
                hybrid.decisions().stream().filter(d -> d.triggeredAt < splitMillis).toList();
        Set<String> plainHistorical =
                plain.decisions().stream()
                        .filter(d -> d.triggeredAt < splitMillis)
                        .map(d -> d.decisionId)
                        .collect(Collectors.toSet());
        assertThat(plainHistorical).hasSizeGreaterThan(20);
        assertThat(historical)
                .as("one decision, replayed, for each trigger the plain run decided on")
                .allSatisfy(d -> assertThat(d.outcome).isEqualTo("replayed"))
                .extracting(d -> d.decisionId)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(plainHistorical);
        assertThat(hybrid.decisions())
                .filteredOn(d -> d.triggeredAt >= splitMillis)
                .extracting(d -> d.outcome)
                .contains("to_send");
    }

    private record Run(List<CustomerFeatures> features, List<Decision> decisions) {}

    /** The time-ordered copy of {@code input} ({@link EventTimeOrder}). */
    private Path ordered(Path input, String name) throws Exception {
        Configuration conf = conf(null);
        return EventTimeOrder.prepare(
                conf,
                input,
                InputFormat.ENVELOPE.cliName(),
                JobSettings.from(conf, EnvelopeLines.SECRET).intake(InputFormat.ENVELOPE),
                conf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                tmp.resolve("order-" + name),
                System.out);
    }

    private interface InputFactory {
        PipelineInput create(StreamExecutionEnvironment env, Configuration conf);
    }

    private static Run run(String name, Configuration conf, InputFactory input) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
        Queue<CustomerFeatures> features = ToQueue.fresh(name + "-features");
        Queue<Decision> decisions = ToQueue.fresh(name + "-decisions");
        PersonalizationPipeline.build(
                List.of(input.create(env, conf)),
                new DiscardingSinks() {
                    @Override
                    public void customerFeatures(DataStream<CustomerFeatures> changes) {
                        changes.sinkTo(new ToQueue<>(name + "-features"));
                    }

                    @Override
                    public void decisions(DataStream<Decision> made) {
                        made.sinkTo(new ToQueue<>(name + "-decisions"));
                    }
                },
                settings);
        env.execute(name);
        Run run = new Run(new ArrayList<>(features), new ArrayList<>(decisions));
        ToQueue.drop(name + "-features");
        ToQueue.drop(name + "-decisions");
        return run;
    }

    private static Configuration conf(Duration liveHorizon) {
        List<String> sets = new ArrayList<>();
        sets.add("personalize.restart.attempts=0");
        sets.add("personalize.checkpoint.interval=1 s");
        sets.add("parallelism.default=1");
        sets.add("personalize.input.source=history-then-kafka");
        sets.add("personalize.kafka.bootstrap-servers=" + KAFKA.bootstrapServers());
        sets.add("personalize.kafka.events-topic=" + TOPIC);
        sets.add("personalize.kafka.group-id=history-itcase");
        sets.add("personalize.kafka.starting-offsets=earliest");
        if (liveHorizon != null) {
            sets.add("personalize.decisions.live-horizon=" + liveHorizon.toSeconds() + " s");
        }
        return ConfigLoader.withJobDefaults(ConfigLoader.load(null, Map.of(), sets));
    }

    private static List<String> generate(Instant start) {
        List<String> lines = new ArrayList<>();
        new DemoDataGenerator(
                        DemoDataGenerator.defaults()
                                .withSeed(13)
                                .withStart(start)
                                .withSpan(SPAN)
                                .withMalformedShare(0.0))
                .lines(EVENTS)
                .forEachRemaining(lines::add);
        return lines;
    }

    /** Lines of events before {@code split} to history, the others to live, in file order. */
    private static void splitAt(
            Instant split, List<String> lines, List<String> history, List<String> live) {
        EnvelopeParser parser =
                new EnvelopeParser(
                        new PersonalDataScrubber(EnvelopeLines.SECRET),
                        64 * 1024,
                        Duration.ofDays(1));
        for (String line : lines) {
            ParseResult parsed = parser.parse(line, "split", System.currentTimeMillis());
            boolean old = parsed.isValid() && parsed.event().occurredAt < split.toEpochMilli();
            (old ? history : live).add(line);
        }
    }

    /**
     * Equal to 9 significant digits: decayed scores are products of per-step factors, and where a
     * timer splits a step depends on when watermarks were emitted (processing time), which changes
     * the last bits.
     */
    private static int closeEnough(Double a, Double b) {
        if (a.equals(b) || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a))) {
            return 0;
        }
        return Double.compare(a, b);
    }

    private static Map<String, CustomerFeatures> lastPerCustomer(List<CustomerFeatures> changes) {
        Map<String, CustomerFeatures> last = new LinkedHashMap<>();
        for (CustomerFeatures f : changes) {
            last.put(f.customerKey, f);
        }
        return last;
    }
}
