package io.personalize.job.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.EnvelopeLines;
import io.personalize.job.segments.SegmentDefinitionsPoller;
import io.personalize.job.segments.SegmentRulesUpdate;
import io.personalize.job.segments.SuppressionListPoller;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched file caught while it is rewritten is not applied: a change counts once read twice. */
class WatchedFileReadingsTest {
    @TempDir Path tmp;

    @Test
    void aSuppressionListCaughtHalfWrittenIsNotOfferedUntilTwoPollsReadItAlike() throws Exception {
        Path list = tmp.resolve("suppressed.txt");
        Files.writeString(list, "a@example.com\nb@example.com\n");
        SuppressionListPoller poller = new SuppressionListPoller(list, EnvelopeLines.SECRET);
        SegmentRulesUpdate start = poller.map(0L);
        assertThat(start.text.split("\n")).hasSize(2);

        Files.writeString(list, "a@example.com\n"); // truncated, the rest not yet written
        assertThat(poller.map(1L).text).isEqualTo(start.text);

        Files.writeString(list, "a@example.com\nb@example.com\nc@example.com\n");
        assertThat(poller.map(2L).text).isEqualTo(start.text);
        SegmentRulesUpdate settled = poller.map(3L);
        assertThat(settled.text.split("\n")).hasSize(3);
        assertThat(settled.isSuppressionList()).isTrue();
    }

    @Test
    void segmentDefinitionsAndTheirReadErrorsSettleTheSameWay() throws Exception {
        Path yaml = tmp.resolve("segments.yaml");
        Files.writeString(yaml, "version: 1\n");
        SegmentDefinitionsPoller poller = new SegmentDefinitionsPoller(yaml);
        assertThat(poller.map(0L).text).isEqualTo("version: 1\n");

        Files.delete(yaml);
        assertThat(poller.map(1L).text).isEqualTo("version: 1\n");
        SegmentRulesUpdate missing = poller.map(2L);
        assertThat(missing.text).isNull();
        assertThat(missing.error).startsWith("cannot read " + yaml.toAbsolutePath());
    }
}
