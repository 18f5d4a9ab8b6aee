package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuBreakdownTest {
    @Test
    void tasksComeLargestFirstThenEveryKindOfWorkAndOtherIsTheRest() {
        CpuBreakdown cpu =
                new CpuBreakdown(
                        Map.of(
                                "Small task",
                                1_000_000L,
                                "Large task -> ...",
                                5_000_000L,
                                ThreadLabels.GC,
                                2_000_000L,
                                ThreadLabels.OTHER,
                                500_000L),
                        Map.of());

        assertThat(cpu.lines("full", 1_000, 10_000_000L))
                .containsExactly(
                        "stage_cpu pipeline=full task=\"Large task -> ...\" cpu_us_per_event=5.0"
                                + " share=0.500",
                        "stage_cpu pipeline=full task=\"Small task\" cpu_us_per_event=1.0"
                                + " share=0.100",
                        "stage_cpu pipeline=full task=\"checkpointing\" cpu_us_per_event=0.0"
                                + " share=0.000",
                        "stage_cpu pipeline=full task=\"iceberg workers\" cpu_us_per_event=0.0"
                                + " share=0.000",
                        "stage_cpu pipeline=full task=\"output flushers, timer threads\""
                                + " cpu_us_per_event=0.0 share=0.000",
                        "stage_cpu pipeline=full task=\"flink runtime\" cpu_us_per_event=0.0"
                                + " share=0.000",
                        "stage_cpu pipeline=full task=\"gc\" cpu_us_per_event=2.0 share=0.200",
                        "stage_cpu pipeline=full task=\"jit\" cpu_us_per_event=0.0 share=0.000",
                        "stage_cpu pipeline=full task=\"cpu sampler\" cpu_us_per_event=0.0"
                                + " share=0.000",
                        "stage_cpu pipeline=full task=\"other\" cpu_us_per_event=2.0 share=0.200");
    }
}
