package io.personalize.job;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the pipeline's outputs go. Production and the demo write Iceberg tables ({@link
 * io.personalize.job.sinks.IcebergPipelineSinks}); tests collect; the bench discards.
 */
public interface PipelineSinks {

    /** Every valid, de-duplicated event. */
    void events(DataStream<Event> events);

    /** Every refused record, from every stage. */
    void deadLetters(DataStream<DeadLetter> deadLetters);
}
