package io.personalize.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void aTaskThreadsCpuSinceTheRunBeganGoesToItsTask() throws Exception {
        CountDownLatch warmedUp = new CountDownLatch(1);
        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicLong duringRun = new AtomicLong();
        Thread task =
                new Thread(
                        () -> {
                            burn(200);
                            warmedUp.countDown();
                            await(begun);
                            long before = THREADS.getCurrentThreadCpuTime();
                            burn(300);
                            duringRun.set(THREADS.getCurrentThreadCpuTime() - before);
                            await(finished);
                        },
                        "Busy work -> Sink: Writer (1/1)#0");
        task.start();
        warmedUp.await();
        CpuSampler sampler = new CpuSampler();
        sampler.begin();
        begun.countDown();
        while (duringRun.get() == 0) {
            Thread.sleep(10);
        }

        CpuBreakdown cpu = sampler.finish();
        finished.countDown();
        task.join();

        // The 200 ms before the run began are left out.
        assertThat(cpu.nanosByLabel().get("Busy work -> ..."))
                .isCloseTo(duringRun.get(), within(20_000_000L));
        assertThat(cpu.fullNames()).containsEntry("Busy work -> ...", "Busy work -> Sink: Writer");
    }

    @Test
    void aThreadStartedDuringTheRunCountsFromZeroAndTheSamplerCountsItself() throws Exception {
        CpuSampler sampler = new CpuSampler();
        sampler.begin();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicLong used = new AtomicLong();
        Thread late =
                new Thread(
                        () -> {
                            burn(200);
                            used.set(THREADS.getCurrentThreadCpuTime());
                            await(finished);
                        },
                        "Late task (1/1)#0");
        late.start();
        while (used.get() == 0) {
            Thread.sleep(10);
        }
        Thread.sleep(2 * CpuSampler.INTERVAL_MILLIS);

        CpuBreakdown cpu = sampler.finish();
        finished.countDown();
        late.join();

        assertThat(cpu.nanosByLabel().get("Late task")).isCloseTo(used.get(), within(20_000_000L));
        assertThat(cpu.nanosByLabel()).containsKey(ThreadLabels.SAMPLER);
    }

    @Test
    void aSamplerThatNeverBeganReportsNothing() throws Exception {
        assertThat(new CpuSampler().finish().nanosByLabel()).isEmpty();
    }

    private static void burn(long cpuMillis) {
        long until = THREADS.getCurrentThreadCpuTime() + cpuMillis * 1_000_000;
        double x = 0;
        while (THREADS.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(i + x);
            }
        }
        if (x < 0) {
            throw new AssertionError();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
