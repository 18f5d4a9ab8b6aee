package io.personalize.job.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.SegmentCompiler;
import org.junit.jupiter.api.Test;

/** A runtime update of the segment definitions may change base segments, not score segments. */
class ScoreSegmentReloadTest {
    private static final String BASE = "  - {id: buyers, name: b, rule: \"orders_30d >= 1\"}\n";
    private static final String SCORED =
            "  - {id: likely, name: l, rule: \"in_segment('buyers') && score('m') > 0.7\"}\n";

    private static CompiledSegments compile(long version, String segments) throws Exception {
        return SegmentCompiler.standard()
                .compile("version: " + version + "\nsegments:\n" + segments);
    }

    @Test
    void anUpdateOfBaseSegmentsOnlyMayServe() throws Exception {
        CompiledSegments serving = compile(1, BASE + SCORED);
        CompiledSegments next =
                compile(2, BASE.replace(">= 1", ">= 2") + SCORED + BASE.replace("buyers", "x"));
        assertThat(WatchedCustomerOperator.scoreSegmentsChange(serving, next)).isNull();
    }

    @Test
    void anUpdateThatChangesAddsOrRemovesAScoreSegmentIsRefusedWithTheReason() throws Exception {
        CompiledSegments serving = compile(1, BASE + SCORED);
        assertThat(
                        WatchedCustomerOperator.scoreSegmentsChange(
                                serving, compile(2, BASE + SCORED.replace("0.7", "0.8"))))
                .startsWith("segment definitions change the score segments (serving [likely],")
                .contains("restart the job");
        assertThat(WatchedCustomerOperator.scoreSegmentsChange(serving, compile(2, BASE)))
                .isNotNull();
        assertThat(
                        WatchedCustomerOperator.scoreSegmentsChange(
                                compile(1, BASE), compile(2, BASE + SCORED)))
                .isNotNull();
    }
}
