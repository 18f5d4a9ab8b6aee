package io.personalize.job.events;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RawRecord;
import io.personalize.core.events.RecordIntake;
import io.personalize.job.Descriptors;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and validates raw records: valid events go on, everything else leaves through the {@link
 * Descriptors#DEAD_LETTERS} side output with its reason. Never throws on data.
 *
 * <p>Metrics (group {@code personalize}): {@code events} labelled by {@code event_type}, {@code
 * dead_letters} labelled by {@code reason}; the same totals as accumulators for the demo summary.
 */
public class ParseFunction extends ProcessFunction<RawRecord, Event> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseFunction.class);

    public static final String RECORDS_READ = "records_read";
    public static final String EVENTS_VALID = "events_valid";
    public static final String DEAD_LETTER_ACCUMULATOR_PREFIX = "dead_letters.";

    private final RecordIntake intake;
    private final String source;

    private transient Map<EventType, Counter> eventsByType;
    private transient Map<String, Counter> deadLettersByReason;
    private transient MetricGroup deadLetterGroup;
    private transient LongCounter recordsRead;
    private transient LongCounter eventsValid;
    private transient Map<String, LongCounter> deadLetterTotals;

    public ParseFunction(RecordIntake intake, String source) {
        this.intake = intake;
        this.source = source;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("personalize");
        eventsByType = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            eventsByType.put(type, group.addGroup("event_type", type.wireName()).counter("events"));
        }
        deadLetterGroup = group;
        deadLettersByReason = new HashMap<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetterCounter(reason.code());
        }
        recordsRead = counter(RECORDS_READ);
        eventsValid = counter(EVENTS_VALID);
        deadLetterTotals = new HashMap<>();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Event> out) {
        ParseResult result = parseSafely(raw);
        if (result.isValid()) {
            recordsRead.add(1);
            eventsValid.add(1);
            eventsByType.get(result.event().eventType).inc();
            out.collect(result.event());
        } else if (result.isInvalid()) {
            recordsRead.add(1);
            String reason = result.deadLetter().reason;
            deadLetterCounter(reason).inc();
            deadLetterTotals
                    .computeIfAbsent(reason, r -> counter(DEAD_LETTER_ACCUMULATOR_PREFIX + r))
                    .add(1);
            ctx.output(Descriptors.DEAD_LETTERS, result.deadLetter());
        }
    }

    /** A parser bug must not fail the job: the record goes to dead letters as parser_error. */
    private ParseResult parseSafely(RawRecord raw) {
        long now = System.currentTimeMillis();
        try {
            return intake.parse(raw, source, now);
        } catch (RuntimeException | LinkageError e) {
            DeadLetter letter =
                    DeadLetters.of(
                            DeadLetterReason.PARSER_ERROR,
                            "the parser failed: " + e.getClass().getName(),
                            source,
                            raw.text,
                            intake.mask(DeadLetters.prefix(raw.text)),
                            now);
            RecordIntake.withPositionalId(ParseResult.invalid(letter), raw.position, source);
            LOG.error(
                    "Parser failed on a record from {}; kept as dead letter {}",
                    source,
                    letter.deadLetterId,
                    e);
            return ParseResult.invalid(letter);
        }
    }

    private Counter deadLetterCounter(String reason) {
        return deadLettersByReason.computeIfAbsent(
                reason, r -> deadLetterGroup.addGroup("reason", r).counter("dead_letters"));
    }

    private LongCounter counter(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        return counter;
    }
}
