package io.personalize.job;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.job.config.JobSettings;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.DeduplicateFunction;
import io.personalize.job.events.ParseFunction;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
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
 *   -> event time (bounded out-of-orderness, idleness) -> keyBy(customer) -> de-duplicate -> events
 * </pre>
 *
 * <pre>{@code
 * PipelineInput input = new PipelineInput("files", env.fromSource(...), InputFormat.ENVELOPE, "events.jsonl");
 * PersonalizationPipeline.build(List.of(input), new IcebergPipelineSinks(catalog), settings);
 * env.execute("personalize");
 * }</pre>
 */
public final class PersonalizationPipeline {
    private PersonalizationPipeline() {}

    /** The streams later stages build on. */
    public record Streams(KeyedStream<Event, String> events, DataStream<DeadLetter> deadLetters) {}

    public static Streams build(
            List<PipelineInput> inputs, PipelineSinks sinks, JobSettings settings) {
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
        KeyedStream<Event, String> events = deduplicate(withEventTime(valid, settings), settings);
        sinks.events(events);
        sinks.deadLetters(deadLetters);
        return new Streams(events, deadLetters);
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

    /** A uid-safe form of an input id. */
    public static String inputId(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
