package io.personalize.job.events;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.privacy.Tombstones;
import io.personalize.job.Descriptors;
import io.personalize.job.Operators;
import io.personalize.job.PipelineInput;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.JobSettings;
import io.personalize.job.customers.IdentityFunction;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The intake stages of the graph, from raw records to each customer's unique events:
 *
 * <pre>
 * raw records (each input) -> parse + validate --(invalid)--> dead letters
 *   -> event time (bounded out-of-orderness, idleness) -> too old? --(yes)--> dead letters
 *   -> identity stitching (on by default; links to the sinks) -> keyBy(customer) -> de-duplicate, drop
 *      erased keys --(erasure requests)--> the sinks (the tables forget the key)
 * </pre>
 *
 * <pre>{@code
 * IntakeStage.Outputs intake = IntakeStage.build(inputs, sinks, settings, endOfTime == null);
 * }</pre>
 */
public final class IntakeStage {
    private IntakeStage() {}

    /**
     * @param events every unique event, keyed by customer: with identity stitching, also the
     *     visitors' events restated under the customer and the markers that close a merged key
     * @param asRead the events as read (the same stream as {@code events} without stitching)
     * @param deadLetters the records refused by parsing, validation and the event-time gate
     */
    public record Outputs(
            KeyedStream<Event, String> events,
            KeyedStream<Event, String> asRead,
            DataStream<DeadLetter> deadLetters) {}

    /**
     * @param clampEndOfInput whether the end of a bounded input moves event time to its end (not in
     *     a replay, whose time stops at its last event: see {@link EventTimeGate})
     */
    public static Outputs build(
            List<PipelineInput> inputs,
            PipelineSinks sinks,
            JobSettings settings,
            boolean clampEndOfInput) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("the pipeline needs at least one input");
        }
        DataStream<Event> valid = null;
        DataStream<DeadLetter> deadLetters = null;
        for (PipelineInput input : inputs) {
            SingleOutputStreamOperator<Event> parsed = parse(input, settings);
            DataStream<DeadLetter> refused = parsed.getSideOutput(Descriptors.DEAD_LETTERS);
            valid = valid == null ? parsed : valid.union(parsed);
            deadLetters = deadLetters == null ? refused : deadLetters.union(refused);
        }
        SingleOutputStreamOperator<Event> timely =
                gate(withEventTime(valid, settings), settings, clampEndOfInput);
        deadLetters = deadLetters.union(timely.getSideOutput(Descriptors.DEAD_LETTERS));
        Tombstones tombstones = new Tombstones(settings.hashSecret(), sinks.erasedSubjects());
        KeyedStream<Event, String> events =
                deduplicate(
                        stitch(timely, sinks, settings, tombstones), sinks, settings, tombstones);
        // Only identity stitching adds restated events and markers: without it, all are as read.
        KeyedStream<Event, String> asRead =
                settings.stitchesIdentities() ? original(events) : events;
        return new Outputs(events, asRead, deadLetters);
    }

    private static SingleOutputStreamOperator<Event> parse(
            PipelineInput input, JobSettings settings) {
        return input.records()
                .process(new ParseFunction(settings.intake(input.format()), input.sourceName()))
                .uid(Operators.PARSE_UID + input.id())
                .name(Operators.PARSE_NAME + input.format().cliName() + " " + input.id());
    }

    private static DataStream<Event> withEventTime(DataStream<Event> events, JobSettings settings) {
        WatermarkStrategy<Event> strategy =
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(settings.outOfOrderness())
                        .withTimestampAssigner((event, previous) -> event.occurredAt)
                        .withIdleness(settings.idleness());
        return events.assignTimestampsAndWatermarks(strategy)
                .uid(Operators.WATERMARKS_UID)
                .name(Operators.WATERMARKS_NAME);
    }

    private static SingleOutputStreamOperator<Event> gate(
            DataStream<Event> events, JobSettings settings, boolean clampEndOfInput) {
        return events.transform(
                        Operators.GATE_NAME,
                        events.getType(),
                        new EventTimeGate(settings.eventRetention().toMillis(), clampEndOfInput))
                .uid(Operators.GATE_UID);
    }

    /**
     * Identity stitching ({@link IdentityFunction}): events with an anonymous id go through the
     * visitor's state, keyed by anonymous id (those with a customer id too only to link); events
     * with a customer id go on directly, in input order. Off with {@code
     * personalize.identity.buffer-events: 0}.
     */
    private static DataStream<Event> stitch(
            DataStream<Event> events,
            PipelineSinks sinks,
            JobSettings settings,
            Tombstones tombstones) {
        if (!settings.stitchesIdentities()) {
            return events;
        }
        // Every subtask of the identity stage hears of every erasure: the visitors linked to the
        // customer are on any of them.
        DataStream<Event> erasures =
                events.filter(Event::isErasure)
                        .uid(Operators.IDENTITY_UID + "-erasures")
                        .name("Erasure requests");
        SingleOutputStreamOperator<Event> visitors =
                events.filter(e -> e.anonymousId != null && !e.isErasure())
                        .uid(Operators.IDENTITY_UID + "-anonymous")
                        .name("Events with an anonymous id")
                        .keyBy(e -> e.anonymousId, Types.STRING)
                        .connect(erasures.broadcast(IdentityFunction.ERASURES))
                        .process(
                                new IdentityFunction(
                                        settings.identityBufferEvents(),
                                        settings.eventRetention().toMillis(),
                                        settings.featureStateTtl(),
                                        tombstones),
                                events.getType())
                        .uid(Operators.IDENTITY_UID)
                        .name(Operators.IDENTITY_NAME);
        sinks.identityLinks(visitors.getSideOutput(Descriptors.IDENTITY_LINKS));
        DataStream<Event> known =
                events.filter(e -> e.customerId != null || e.anonymousId == null || e.isErasure())
                        .uid(Operators.IDENTITY_UID + "-known")
                        .name("Events of known customers");
        return known.union(visitors);
    }

    /**
     * The events as read: without the anonymous events restated under a customer and the markers
     * that close a merged key (they are in {@code events} already, or are not events).
     */
    private static KeyedStream<Event, String> original(KeyedStream<Event, String> events) {
        DataStream<Event> original =
                events.filter(Event::isOriginal)
                        .uid(Operators.ORIGINAL_EVENTS_UID)
                        .name("Events as read");
        return DataStreamUtils.reinterpretAsKeyedStream(original, new CustomerKeySelector());
    }

    private static KeyedStream<Event, String> deduplicate(
            DataStream<Event> events,
            PipelineSinks sinks,
            JobSettings settings,
            Tombstones tombstones) {
        CustomerKeySelector byCustomer = new CustomerKeySelector();
        SingleOutputStreamOperator<Event> unique =
                events.keyBy(byCustomer)
                        .process(new DeduplicateFunction(settings.dedupHorizon(), tombstones))
                        .uid(Operators.DEDUP_UID)
                        .name(Operators.DEDUP_NAME);
        sinks.erasures(unique.getSideOutput(Descriptors.ERASURES));
        // Still partitioned by customer: later keyed stages chain without another shuffle.
        return DataStreamUtils.reinterpretAsKeyedStream(unique, byCustomer);
    }
}
