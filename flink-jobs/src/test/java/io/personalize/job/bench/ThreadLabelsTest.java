package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadLabelsTest {
    @Test
    void subtasksOfOneTaskShareTheLabelOfTheChainsHead() {
        ThreadLabels labels = new ThreadLabels();
        String chain = "Decisions (flows, consent) -> (Decisions to table rows, Latency probe)";

        assertThat(labels.ofJava(chain + " (1/2)#0")).isEqualTo("Decisions -> ...");
        assertThat(labels.ofJava(chain + " (2/2)#0")).isEqualTo("Decisions -> ...");
        assertThat(labels.fullNames()).containsEntry("Decisions -> ...", chain);
    }

    @Test
    void aTaskOfOneOperatorKeepsItsNameAndNeedsNoLegend() {
        ThreadLabels labels = new ThreadLabels();

        assertThat(labels.ofJava("iceberg-events: Committer (1/1)#0"))
                .isEqualTo("iceberg-events: Committer");
        assertThat(labels.fullNames()).isEmpty();
    }

    @Test
    void twoChainsWithTheSameHeadGetTwoLabels() {
        ThreadLabels labels = new ThreadLabels();

        String first = labels.ofJava("Map -> Sink: Writer (1/2)#0");
        String second = labels.ofJava("Map -> Filter (1/2)#0");

        assertThat(first).isEqualTo("Map -> ...");
        assertThat(second).isEqualTo("Map -> ... [2]");
        assertThat(labels.fullNames()).containsEntry("Map -> ... [2]", "Map -> Filter");
    }

    @Test
    void helperAndMachineryThreadsGoToTheirKindOfWork() {
        ThreadLabels labels = new ThreadLabels();

        assertThat(labels.ofJava("OutputFlusher for Source: In-memory events (1/2)#0"))
                .isEqualTo(ThreadLabels.HELPERS);
        assertThat(labels.ofJava("Time Trigger for Recommendations (2/2)#0"))
                .isEqualTo(ThreadLabels.HELPERS);
        assertThat(labels.ofJava("AsyncOperations-thread-3")).isEqualTo(ThreadLabels.CHECKPOINTING);
        assertThat(labels.ofJava("Channel state writer")).isEqualTo(ThreadLabels.CHECKPOINTING);
        assertThat(labels.ofJava("iceberg-worker-pool-1")).isEqualTo(ThreadLabels.ICEBERG);
        assertThat(labels.ofJava("flink-pekko.actor.default-dispatcher-7"))
                .isEqualTo(ThreadLabels.RUNTIME);
        assertThat(labels.ofJava(CpuSampler.THREAD_NAME)).isEqualTo(ThreadLabels.SAMPLER);
        assertThat(labels.ofJava("Reference Handler")).isEqualTo(ThreadLabels.OTHER);
    }

    @Test
    void kernelNamesOfGcAndCompilerThreadsAreCountedAndOthersLeftToJava() {
        assertThat(ThreadLabels.ofNative("GC Thread#1")).isEqualTo(ThreadLabels.GC);
        assertThat(ThreadLabels.ofNative("G1 Conc#0")).isEqualTo(ThreadLabels.GC);
        assertThat(ThreadLabels.ofNative("C2 CompilerThre")).isEqualTo(ThreadLabels.JIT);
        assertThat(ThreadLabels.ofNative("C1 CompilerThre")).isEqualTo(ThreadLabels.JIT);
        assertThat(ThreadLabels.ofNative("Source: In-mem")).isNull();
        assertThat(ThreadLabels.ofNative("VM Thread")).isNull();
    }
}
