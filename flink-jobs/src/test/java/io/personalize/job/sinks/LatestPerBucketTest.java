package io.personalize.job.sinks;

import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class LatestPerBucketTest {
    private static final long H0_10 = 10 * 60_000;
    private static final long H0_50 = 50 * 60_000;
    private static final long H1_05 = HOUR + 5 * 60_000;
    private static final long H3_00 = 3 * HOUR;

    /** A customer's row: key, instant, and which state it holds. */
    public static class Row {
        public String key;
        public long asOf;
        public String state;

        public Row() {}

        Row(String key, long asOf, String state) {
            this.key = key;
            this.asOf = asOf;
            this.state = state;
        }

        @Override
        public String toString() {
            return key + "@" + asOf + "=" + state;
        }
    }

    private static OneInputStreamOperatorTestHarness<Row, Row> hourly() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new LatestPerBucket<String, Row>(
                        row -> row.key, row -> row.asOf, TypeInformation.of(Row.class), HOUR));
    }

    private static List<String> emitted(OneInputStreamOperatorTestHarness<Row, Row> harness) {
        return harness.extractOutputValues().stream().map(Row::toString).toList();
    }

    private static void process(OneInputStreamOperatorTestHarness<Row, Row> h, Row row)
            throws Exception {
        h.processElement(new StreamRecord<>(row));
    }

    @Test
    void keepsTheLastRowOfEachBucketAndSendsItWhenALaterBucketComesOrTheWatermarkPasses()
            throws Exception {
        try (var harness = hourly()) {
            harness.open();
            process(harness, new Row("c1", H0_10, "a"));
            process(harness, new Row("c1", H0_50, "b"));
            process(harness, new Row("c1", H0_10, "older, ignored"));
            process(harness, new Row("c2", H0_10, "x"));
            process(harness, new Row("c1", H1_05, "c"));
            assertThat(emitted(harness))
                    .as("superseded by a later bucket")
                    .containsExactly("c1@" + H0_50 + "=b");

            harness.processWatermark(new Watermark(HOUR - 2));
            assertThat(emitted(harness)).as("bucket 0 still open").hasSize(1);
            harness.processWatermark(new Watermark(HOUR - 1));
            assertThat(emitted(harness))
                    .as("bucket 0 closed by the watermark")
                    .containsExactly("c1@" + H0_50 + "=b", "c2@" + H0_10 + "=x");

            harness.endInput();
            assertThat(emitted(harness))
                    .containsExactly(
                            "c1@" + H0_50 + "=b", "c2@" + H0_10 + "=x", "c1@" + H1_05 + "=c");
        }
    }

    @Test
    void rowsHeldAtACheckpointAreRestoredAndTheCheckpointEmitsNothing() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = hourly()) {
            harness.open();
            process(harness, new Row("c1", H0_10, "a"));
            harness.prepareSnapshotPreBarrier(1);
            snapshot = harness.snapshot(1, 1);
            assertThat(emitted(harness)).isEmpty();
        }
        try (var restored = hourly()) {
            restored.initializeState(snapshot);
            restored.open();
            process(restored, new Row("c1", H0_50, "a2"));
            process(restored, new Row("c1", H3_00, "d"));
            restored.endInput();

            assertThat(emitted(restored))
                    .containsExactly("c1@" + H0_50 + "=a2", "c1@" + H3_00 + "=d");
        }
    }
}
