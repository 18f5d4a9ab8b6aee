package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TriggerLatenessTest {
    @AfterEach
    void clear() {
        TriggerLateness.reset();
    }

    @Test
    void latenessIsFromTheDesignedTimeToTheFirstArrivalOfEachDecision() {
        TriggerLateness.reset();
        TriggerLateness.record("a", 1_000, 4_000);
        TriggerLateness.record("a", 1_000, 9_000); // the same decision again: its first counts
        TriggerLateness.record("b", 2_000, 3_000);

        TriggerLateness.Summary summary = TriggerLateness.summarize(Long.MAX_VALUE);

        assertThat(summary.count()).isEqualTo(2);
        assertThat(summary.p50Millis()).isEqualTo(1_000);
        assertThat(summary.p99Millis()).isEqualTo(3_000);
    }

    @Test
    void triggersDesignedAfterTheLatestTheStreamReleasedAreLeftOut() {
        TriggerLateness.reset();
        TriggerLateness.record("released by the stream", 1_000, 4_000);
        TriggerLateness.record("released by the end of input", 8_000, 5_000);

        TriggerLateness.Summary summary = TriggerLateness.summarize(2_000);

        assertThat(summary.count()).isEqualTo(1);
        assertThat(summary.p99Millis()).isEqualTo(3_000);
    }
}
