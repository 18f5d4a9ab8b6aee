package io.personalize.job;

import io.personalize.core.adapters.InputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * One stream of raw records and how to read them.
 *
 * @param id stable short id of the input (part of operator uids: keep it across versions)
 * @param sourceName what events and dead letters record as their source (a path, a topic)
 */
public record PipelineInput(
        String id, DataStream<String> records, InputFormat format, String sourceName) {}
