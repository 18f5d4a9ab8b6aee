package io.personalize.job;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.FeatureEngine;
import io.personalize.job.config.JobSettings;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.DeduplicateFunction;
import io.personalize.job.events.EventTimeGate;
import io.personalize.job.events.ParseFunction;
import io.personalize.job.features.FeatureFunction;
import io.personalize.job.features.FeaturesKeySelector;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds the job graph, in one place, from injected inputs and sinks: the demo, the tests, the
 * bench and production all call {@link #build}.
 *
 * <pre>
 * raw records -> parse + validate --(invalid)--> dead letters
 *   -> event time (bounded out-of-orderness, idleness) -> too old? --(yes)--> dead letters
 *   -> keyBy(customer) -> de-duplicate -> events
 *   -> customer features (keyed state, event-time timers) -> feature tables
 * </pre>
 *
 * <pre>{@code
 * PipelineInput input = new PipelineInput("files", env.fromSource(...), InputFormat.ENVELOPE, "events.jsonl");
 * PersonalizationPipeline.build(List.of(input), new IcebergPipelineSinks(catalog, settings), settings);
 * env.execute("personalize");
 * }</pre>
 */
public final class PersonalizationPipeline {
    private PersonalizationPipeline() {}

    /** The streams later stages build on. */
    public record Streams(
            KeyedStream<Event, String> events,
            KeyedStream<CustomerFeatures, String> features,
            DataStream<DeadLetter> deadLetters) {}

    public static Streams build(
            List<PipelineInput> inputs, PipelineSinks sinks, JobSettings settings) {
        return build(inputs, sinks, settings, null);
    }

    /**
     * @param endOfTime for a bounded replay whose last event time is known: time stops there (see
     *     {@link FeatureFunction}); {@code null} otherwise
     */
    public static Streams build(
            List<PipelineInput> inputs, PipelineSinks sinks, JobSettings settings, Long endOfTime) {
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
                gate(withEventTime(valid, settings), settings, endOfTime == null);
        deadLetters = deadLetters.union(timely.getSideOutput(Descriptors.DEAD_LETTERS));
        KeyedStream<Event, String> events = deduplicate(timely, settings);
        KeyedStream<CustomerFeatures, String> features = features(events, settings, endOfTime);
        sinks.events(events);
        sinks.customerFeatures(features);
        sinks.deadLetters(deadLetters);
        return new Streams(events, features, deadLetters);
    }

    private static SingleOutputStreamOperator<Event> gate(
            DataStream<Event> events, JobSettings settings, boolean clampEndOfInput) {
        return events.transform(
                        Operators.GATE_NAME,
                        events.getType(),
                        new EventTimeGate(settings.eventRetention().toMillis(), clampEndOfInput))
                .uid(Operators.GATE_UID);
    }

    private static KeyedStream<CustomerFeatures, String> features(
            KeyedStream<Event, String> events, JobSettings settings, Long endOfTime) {
        DataStream<CustomerFeatures> features =
                events.process(
                                new FeatureFunction(
                                        new FeatureEngine(settings.features()),
                                        settings.featureStateTtl(),
                                        endOfTime),
                                TypeInformation.of(CustomerFeatures.class))
                        .uid(Operators.FEATURES_UID)
                        .name(Operators.FEATURES_NAME);
        return DataStreamUtils.reinterpretAsKeyedStream(features, new FeaturesKeySelector());
    }

    private static SingleOutputStreamOperator<Event> parse(
            PipelineInput input, JobSettings settings) {
        return input.records()
                .process(new ParseFunction(settings.parser(input.format()), input.sourceName()))
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

    private static KeyedStream<Event, String> deduplicate(
            DataStream<Event> events, JobSettings settings) {
        CustomerKeySelector byCustomer = new CustomerKeySelector();
        DataStream<Event> unique =
                events.keyBy(byCustomer)
                        .process(new DeduplicateFunction(settings.dedupHorizon()))
                        .uid(Operators.DEDUP_UID)
                        .name(Operators.DEDUP_NAME);
        // Still partitioned by customer: later keyed stages chain without another shuffle.
        return DataStreamUtils.reinterpretAsKeyedStream(unique, byCustomer);
    }
}
