package io.personalize.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * JVMs this test starts (JobManager, TaskManagers, the REST catalog), each with its output in a log
 * file. Every one is destroyed when the test JVM exits, however it exits, so that a failed run
 * leaves no cluster behind.
 */
final class JavaProcesses {
    /** The module opens Flink's own launch scripts pass on Java 17 (as the job's tests do). */
    static final List<String> JAVA_17_OPENS = io.personalize.job.testing.JobProcess.JVM_FLAGS;

    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(JavaProcesses::destroyAll, "destroy-test-processes"));
    }

    private JavaProcesses() {}

    /**
     * Starts {@code java <jvmArgs> -cp <classPath> <mainClass> <args>} with its output appended to
     * {@code log}.
     */
    static Process start(
            String classPath,
            List<String> jvmArgs,
            String mainClass,
            List<String> args,
            Map<String, String> environment,
            Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        STARTED.add(process);
        return process;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the JobManager. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    static void destroyAll() {
        for (Process process : STARTED) {
            process.destroyForcibly();
        }
        for (Process process : STARTED) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        STARTED.clear();
    }

    /** A port free on loopback now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
