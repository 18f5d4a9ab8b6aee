package io.personalize.job;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One stream of raw records and how to read them.
 *
 * @param id stable short id of the input (part of operator uids: keep it across versions)
 * @param records the records as read: bytes checked, with their positions when the input has them
 * @param sourceName what events and dead letters record as their source (a path, a topic)
 */
public record PipelineInput(
        String id, DataStream<RawRecord> records, InputFormat format, String sourceName) {

    /**
     * An input of records that are already text (a replay from a table, a generated stream): they
     * carry no position, so their dead letters have ids derived from their content.
     */
    public static PipelineInput ofText(
            String id, DataStream<String> text, InputFormat format, String sourceName) {
        DataStream<RawRecord> records =
                text.map(RawRecord::ofText, TypeInformation.of(RawRecord.class))
                        .name("Records as text");
        return new PipelineInput(id, records, format, sourceName);
    }
}
