package io.personalize.job.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's view of this process's threads on Linux ({@code /proc/self/task}): every thread, the
 * JVM's own included (GC workers, JIT compilers), which {@link java.lang.management.ThreadMXBean}
 * does not list. Elsewhere {@link #available()} is false and nothing is read.
 *
 * <p>Names are the kernel's {@code comm}: at most 15 characters ({@code C2 CompilerThre}). CPU time
 * is {@code schedstat}'s run time in nanoseconds where the kernel keeps it, else {@code stat}'s
 * user plus system time in clock ticks (assumed 100 per second, the Linux USER_HZ).
 */
final class NativeThreads {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final boolean available;
    private final boolean schedstat;

    NativeThreads() {
        available = Files.isDirectory(TASKS);
        schedstat = available && ownSchedstatCounts();
    }

    boolean available() {
        return available;
    }

    /** The ids of the threads alive now; empty when unavailable. */
    List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        if (!available) {
            return ids;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    ids.add(Integer.parseInt(task.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a thread's folder
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return ids;
    }

    /** The thread's kernel name, or null when it has ended. */
    String name(int tid) {
        try {
            return Files.readString(TASKS.resolve(tid + "/comm"), StandardCharsets.US_ASCII)
                    .strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A clock of the thread's CPU time, kept open for cheap reads; null when it has ended. */
    CpuClock clock(int tid) {
        try {
            Path file = TASKS.resolve(tid + (schedstat ? "/schedstat" : "/stat"));
            return new CpuClock(FileChannel.open(file, StandardOpenOption.READ), schedstat);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Reads one thread's CPU time from its open file, from the start each time. */
    static final class CpuClock implements AutoCloseable {
        private final FileChannel file;
        private final boolean schedstat;
        private final ByteBuffer buffer = ByteBuffer.allocate(1024);

        private CpuClock(FileChannel file, boolean schedstat) {
            this.file = file;
            this.schedstat = schedstat;
        }

        /** CPU time the thread used so far in nanoseconds, or -1 when it has ended. */
        long nanos() {
            try {
                buffer.clear();
                int read = file.read(buffer, 0);
                if (read <= 0) {
                    return -1;
                }
                String text = new String(buffer.array(), 0, read, StandardCharsets.US_ASCII);
                if (schedstat) {
                    return Long.parseLong(text.substring(0, text.indexOf(' ')));
                }
                // The name, in parentheses, may hold spaces: fields count from after its end.
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            try {
                file.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }

    /** Whether schedstat gives run times here (it reads all zeros when the kernel keeps none). */
    private static boolean ownSchedstatCounts() {
        try {
            String line = Files.readString(Path.of("/proc/thread-self/schedstat"));
            return !line.startsWith("0 ");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
