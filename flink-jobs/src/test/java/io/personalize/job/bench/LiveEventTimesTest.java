package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveEventTimesTest {
    private static final long NOW = 1_765_000_000_123L;

    @Test
    void anIsoTimeBecomesTheEmissionTimeAndTheRestOfTheLineStays() {
        String line =
                "{\"event_id\":\"e1\",\"occurred_at\":\"2025-01-06T10:00:00.000+01:00\",\"x\":1}";

        assertThat(rebased(line))
                .isEqualTo(
                        "{\"event_id\":\"e1\",\"occurred_at\":\"2025-12-06T05:46:40.123Z\",\"x\":1}");
    }

    @Test
    void epochMillisBecomeTheEmissionTimeToo() {
        String line = "{\"occurred_at\":1736157600000,\"event_id\":\"e2\"}";

        assertThat(rebased(line))
                .isEqualTo("{\"occurred_at\":\"2025-12-06T05:46:40.123Z\",\"event_id\":\"e2\"}");
    }

    @Test
    void recordsWithoutAValidTimeAreLeftAsTheyAre() {
        List<String> lines =
                List.of(
                        "{\"occurred_at\":\"yesterday\"}",
                        "{\"occurred_at\":\"2025-01-06T10:00:00.000\"}",
                        "{\"event_id\":\"e3\"}",
                        "{\"occurred_at\":\"2025-01-06T1");

        for (String line : lines) {
            assertThat(rebased(line)).isEqualTo(line);
        }
    }

    private static String rebased(String line) {
        int[] spans = LiveEventTimes.spans(List.of(line));
        return LiveEventTimes.at(line, spans[0], spans[1], NOW);
    }
}
