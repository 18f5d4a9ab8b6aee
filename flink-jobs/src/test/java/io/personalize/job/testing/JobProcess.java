package io.personalize.job.testing;

import io.personalize.job.cli.PersonalizeCli;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The job's command line in a JVM of its own, as {@code bin/personalize} starts it: a real process
 * a test can kill with {@code SIGKILL} and whose listening sockets it can read from {@code /proc}.
 */
public final class JobProcess implements AutoCloseable {
    /** The module opens {@code bin/personalize} passes on Java 17 (Flink's own scripts' list). */
    public static final List<String> JVM_FLAGS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Process process;
    private final Path log;

    private JobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code personalize <args>} in {@code workDir} with this test's class path, its output
     * appended to {@code log}.
     */
    public static JobProcess start(
            Path workDir, Path log, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-Xmx3g");
        // the launcher's logging (src/main/resources), not the tests'
        command.add("-Dlog4j2.configurationFile=log4j2.properties");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PersonalizeCli.class.getName());
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new JobProcess(builder.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            process.destroyForcibly();
            throw new AssertionError("the job process did not end in " + timeout + " " + unit);
        }
        return process.exitValue();
    }

    /** {@code kill -9}: the JVM gets no chance to clean up. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }

    /** The TCP addresses the process listens on, from {@code /proc} (Linux). */
    public static List<InetSocketAddress> listeningAddresses(long pid) throws IOException {
        Set<String> sockets = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        sockets.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing
                }
            }
        }
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", String.valueOf(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                boolean listen = "0A".equals(fields[3]);
                if (listen && sockets.contains(fields[9])) {
                    listening.add(address(fields[1]));
                }
            }
        }
        return listening;
    }

    /** {@code 0100007F:1F90} (little-endian words, as /proc/net/tcp writes them). */
    private static InetSocketAddress address(String hexAddressAndPort) throws UnknownHostException {
        String[] parts = hexAddressAndPort.split(":");
        byte[] raw = new BigInteger(parts[0], 16).toByteArray();
        int length = parts[0].length() / 2;
        byte[] bytes = new byte[length];
        // BigInteger may add a sign byte or drop leading zeros: right-align into the length
        for (int i = 0; i < Math.min(raw.length, length); i++) {
            bytes[length - 1 - i] = raw[raw.length - 1 - i];
        }
        byte[] ordered = new byte[length];
        for (int word = 0; word < length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                ordered[word * 4 + b] = bytes[word * 4 + 3 - b];
            }
        }
        return new InetSocketAddress(
                InetAddress.getByAddress(ordered), Integer.parseInt(parts[1], 16));
    }
}
