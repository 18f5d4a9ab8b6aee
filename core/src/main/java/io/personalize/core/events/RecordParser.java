package io.personalize.core.events;

import java.io.Serializable;

/** Turns one raw record (a JSON line, a CSV row) into an event or a dead letter. Never throws. */
public interface RecordParser extends Serializable {

    /**
     * @param raw the record as read
     * @param source where it came from (file name, topic), kept on the event or dead letter
     * @param ingestedAt processing time of the read, epoch millis
     */
    ParseResult parse(String raw, String source, long ingestedAt);
}
