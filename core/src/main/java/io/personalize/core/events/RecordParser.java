package io.personalize.core.events;

import io.personalize.core.privacy.PersonalDataScrubber;
import java.io.Serializable;

/** Turns one raw record (a JSON line, a CSV row) into an event or a dead letter. Never throws. */
public interface RecordParser extends Serializable {

    /**
     * @param raw the record as read
     * @param source where it came from (file name, topic), kept on the event or dead letter
     * @param ingestedAt processing time of the read, epoch millis
     */
    ParseResult parse(String raw, String source, long ingestedAt);

    /**
     * Masks contact details and personal values in text that is stored as it is (a record cut at
     * its first 4 KB, one that is not valid JSON): by default with the default patterns.
     */
    default String mask(String text) {
        return PersonalDataScrubber.maskText(text);
    }
}
