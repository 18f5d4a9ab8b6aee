package io.personalize.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CoalesceLatestTest {
    private static final long T1 = 1_000;
    private static final long T2 = 2_000;

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

    private static OneInputStreamOperatorTestHarness<Row, Row> everyInstant() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new CoalesceLatest<String, Row>(
                        row -> row.key, row -> row.asOf, TypeInformation.of(Row.class), 0, true));
    }

    private static List<String> emitted(OneInputStreamOperatorTestHarness<Row, Row> harness) {
        return harness.extractOutputValues().stream().map(Row::toString).toList();
    }

    @Test
    void keepsOneRowPerKeyAndInstantTheLastStateAtThatInstant() throws Exception {
        try (var harness = everyInstant()) {
            harness.open();
            harness.processElement(new StreamRecord<>(new Row("c1", T1, "a")));
            harness.processElement(new StreamRecord<>(new Row("c1", T1, "b")));
            harness.processElement(new StreamRecord<>(new Row("c2", T1, "x")));
            harness.processElement(new StreamRecord<>(new Row("c1", T2, "c")));

            assertThat(emitted(harness))
                    .as("superseded by a later instant")
                    .containsExactly("c1@1000=b");

            harness.endInput();
            assertThat(emitted(harness)).containsExactly("c1@1000=b", "c2@1000=x", "c1@2000=c");
        }
    }

    @Test
    void rowsHeldAtACheckpointAreRestoredAndStillReplacedByTheSameInstant() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = everyInstant()) {
            harness.open();
            harness.processElement(new StreamRecord<>(new Row("c1", T1, "a")));
            harness.prepareSnapshotPreBarrier(1);
            harness.processElement(new StreamRecord<>(new Row("c1", T2, "b")));
            snapshot = harness.snapshot(1, 1);
            assertThat(emitted(harness)).containsExactly("c1@1000=a");
        }
        try (var restored = everyInstant()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(new Row("c1", T2, "b2")));
            restored.endInput();

            assertThat(emitted(restored)).containsExactly("c1@2000=b2");
        }
    }
}
