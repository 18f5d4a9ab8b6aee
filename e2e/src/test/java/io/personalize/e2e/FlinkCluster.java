package io.personalize.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Flink standalone session cluster of separate JVMs on loopback, started as Flink's own scripts
 * start one ({@code jobmanager.sh}, {@code taskmanager.sh}) but from a class path of Maven Central
 * jars (the job's shaded jar, which carries {@code flink-runtime}, {@code flink-clients} and {@code
 * flink-runtime-web}): {@code flink-dist} is not served there. Jobs go in through the REST API, as
 * with {@code flink run} against a remote cluster.
 *
 * <pre>{@code
 * try (FlinkCluster cluster = FlinkCluster.start(dir, jar, Map.of(), env)) {
 *     cluster.startTaskManager();
 *     String job = cluster.run(cluster.upload(jar), "Main", List.of("run"), null);
 * }
 * }</pre>
 */
final class FlinkCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path confDir;
    private final String classPath;
    private final Map<String, String> environment;
    private final int restPort;
    private final Process jobManager;
    private final List<Process> taskManagers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private List<String> taskManagerJvmParams;
    private List<String> taskManagerDynamicConfigs;

    private FlinkCluster(
            Path dir,
            Path confDir,
            String classPath,
            Map<String, String> environment,
            int restPort,
            Process jobManager) {
        this.dir = dir;
        this.confDir = confDir;
        this.classPath = classPath;
        this.environment = environment;
        this.restPort = restPort;
        this.jobManager = jobManager;
    }

    /**
     * Writes {@code dir/conf/config.yaml} (loopback addresses, free ports, {@code settings} on top)
     * and starts the JobManager; returns once its REST API answers.
     */
    static FlinkCluster start(
            Path dir, Path jar, Map<String, String> settings, Map<String, String> environment)
            throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        int restPort = JavaProcesses.freePort();
        StringBuilder config = new StringBuilder();
        Map<String, String> base =
                Map.ofEntries(
                        Map.entry("jobmanager.rpc.address", "127.0.0.1"),
                        Map.entry("jobmanager.rpc.port", String.valueOf(JavaProcesses.freePort())),
                        Map.entry("jobmanager.bind-host", "127.0.0.1"),
                        Map.entry("taskmanager.bind-host", "127.0.0.1"),
                        Map.entry("taskmanager.host", "127.0.0.1"),
                        Map.entry("rest.address", "127.0.0.1"),
                        Map.entry("rest.bind-address", "127.0.0.1"),
                        Map.entry("rest.port", String.valueOf(restPort)),
                        Map.entry("web.upload.dir", dir.resolve("uploads").toString()),
                        Map.entry("io.tmp.dirs", dir.resolve("tmp").toString()),
                        Map.entry("blob.server.port", "0"),
                        // the job jar carries Flink, Kafka and Iceberg: more than the 100 MB
                        // default
                        Map.entry("rest.server.max-content-length", "1073741824"),
                        Map.entry("taskmanager.rpc.port", "0"),
                        Map.entry("taskmanager.data.port", "0"));
        base.forEach((k, v) -> config.append(k).append(": ").append(v).append('\n'));
        settings.forEach((k, v) -> config.append(k).append(": ").append(v).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), config);
        Files.createDirectories(dir.resolve("uploads"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(
                confDir.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.console.ref = console",
                        "appender.console.name = console",
                        "appender.console.type = CONSOLE",
                        "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        "logger.hadoop.name = org.apache.hadoop",
                        "logger.hadoop.level = WARN",
                        ""));

        List<String> jvm = new ArrayList<>(JavaProcesses.JAVA_17_OPENS);
        jvm.add("-Xmx768m");
        jvm.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j.properties"));
        Process jobManager =
                JavaProcesses.start(
                        jar.toString(),
                        jvm,
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        List.of("--configDir", confDir.toString()),
                        environment,
                        dir.resolve("logs/jobmanager.log"));
        FlinkCluster cluster =
                new FlinkCluster(dir, confDir, jar.toString(), environment, restPort, jobManager);
        cluster.await(
                "the JobManager's REST API answers",
                Duration.ofMinutes(2),
                () -> {
                    if (!jobManager.isAlive()) {
                        throw new AssertionError(
                                "the JobManager exited: see " + dir.resolve("logs"));
                    }
                    return cluster.getOrNull("/overview") != null;
                });
        return cluster;
    }

    /**
     * Starts a TaskManager with the JVM options and memory settings that {@code BashJavaUtils
     * GET_TM_RESOURCE_PARAMS} derives from the configuration, as {@code taskmanager.sh} does.
     */
    Process startTaskManager() throws Exception {
        if (taskManagerJvmParams == null) {
            readTaskManagerResourceParams();
        }
        List<String> jvm = new ArrayList<>(JavaProcesses.JAVA_17_OPENS);
        jvm.addAll(taskManagerJvmParams);
        jvm.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j.properties"));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(taskManagerDynamicConfigs);
        Process process =
                JavaProcesses.start(
                        classPath,
                        jvm,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        args,
                        environment,
                        dir.resolve("logs/taskmanager-" + (taskManagers.size() + 1) + ".log"));
        taskManagers.add(process);
        return process;
    }

    /** The TaskManagers started and still alive. */
    List<Process> liveTaskManagers() {
        return taskManagers.stream().filter(Process::isAlive).toList();
    }

    private void readTaskManagerResourceParams() throws Exception {
        Process utils =
                new ProcessBuilder(
                                JavaProcesses.java(),
                                "-cp",
                                classPath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                "GET_TM_RESOURCE_PARAMS",
                                "--configDir",
                                confDir.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(utils.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (utils.waitFor() != 0) {
            throw new IllegalStateException("BashJavaUtils failed:\n" + output);
        }
        // what taskmanager.sh reads: the last two lines with this prefix
        List<String> results =
                output.lines()
                        .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                        .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
                        .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("unexpected BashJavaUtils output:\n" + output);
        }
        taskManagerJvmParams = split(results.get(results.size() - 2));
        taskManagerDynamicConfigs = split(results.get(results.size() - 1));
    }

    private static List<String> split(String line) {
        return Arrays.stream(line.split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** Waits until the cluster has {@code slots} registered slots, all of live TaskManagers. */
    void awaitSlots(int slots, Duration timeout) {
        await(
                slots + " slots registered",
                timeout,
                () -> {
                    JsonNode overview = getOrNull("/overview");
                    return overview != null && overview.path("slots-total").asInt() == slots;
                });
    }

    /** Uploads a jar; returns its id on the cluster. */
    String upload(Path jar) throws Exception {
        String boundary = "----e2e" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(uri("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(
                                        HttpRequest.BodyPublishers.concat(
                                                HttpRequest.BodyPublishers.ofByteArray(head),
                                                HttpRequest.BodyPublishers.ofFile(jar),
                                                HttpRequest.BodyPublishers.ofByteArray(tail))));
        String file = answer.path("filename").asText();
        return Path.of(file).getFileName().toString();
    }

    /** Runs an uploaded jar's main class; returns the job id. */
    String run(String jarId, String entryClass, List<String> args, String savepoint)
            throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.set("programArgsList", JSON.valueToTree(args));
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
        }
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
        return answer.path("jobid").asText();
    }

    String jobState(String jobId) {
        JsonNode job = getOrNull("/jobs/" + jobId);
        return job == null ? "UNKNOWN" : job.path("state").asText();
    }

    /** Completed checkpoints of the job so far (restored ones included). */
    long completedCheckpoints(String jobId) {
        JsonNode checkpoints = getOrNull("/jobs/" + jobId + "/checkpoints");
        return checkpoints == null ? 0 : checkpoints.path("counts").path("completed").asLong();
    }

    /** Waits until the job runs with all its tasks deployed. */
    void awaitRunning(String jobId, Duration timeout) {
        await(
                "job " + jobId + " running with every task",
                timeout,
                () -> {
                    JsonNode job = getOrNull("/jobs/" + jobId);
                    if (job == null) {
                        return false;
                    }
                    failIfEnded(job);
                    if (!"RUNNING".equals(job.path("state").asText())) {
                        return false;
                    }
                    for (JsonNode vertex : job.path("vertices")) {
                        if (!"RUNNING".equals(vertex.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Waits for a checkpoint completed after this call. */
    void awaitNewCheckpoint(String jobId, Duration timeout) {
        long before = completedCheckpoints(jobId);
        await(
                "a new checkpoint of " + jobId,
                timeout,
                () -> {
                    JsonNode job = getOrNull("/jobs/" + jobId);
                    if (job != null) {
                        failIfEnded(job);
                    }
                    return completedCheckpoints(jobId) > before;
                });
    }

    /** Stops the job with a savepoint in {@code directory}; returns the savepoint's path. */
    String stopWithSavepoint(String jobId, Path directory, Duration timeout) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", directory.toUri().toString());
        request.put("drain", false);
        String trigger =
                send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(request.toString())))
                        .path("request-id")
                        .asText();
        String[] location = new String[1];
        await(
                "the savepoint of " + jobId,
                timeout,
                () -> {
                    JsonNode status = getOrNull("/jobs/" + jobId + "/savepoints/" + trigger);
                    if (status == null
                            || !"COMPLETED".equals(status.path("status").path("id").asText())) {
                        return false;
                    }
                    JsonNode operation = status.path("operation");
                    if (operation.has("failure-cause")) {
                        throw new AssertionError("the savepoint failed: " + operation);
                    }
                    location[0] = operation.path("location").asText();
                    return true;
                });
        await(
                "job " + jobId + " finished after its savepoint",
                timeout,
                () -> "FINISHED".equals(jobState(jobId)));
        return location[0];
    }

    void cancel(String jobId) throws Exception {
        http.send(
                HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await(
                "job " + jobId + " cancelled",
                Duration.ofMinutes(1),
                () -> "CANCELED".equals(jobState(jobId)));
    }

    /** The exceptions the job saw (restarts included), for failure messages. */
    String exceptions(String jobId) {
        JsonNode exceptions = getOrNull("/jobs/" + jobId + "/exceptions");
        return exceptions == null ? "" : exceptions.path("exceptionHistory").toString();
    }

    /** Root causes of the job's failures so far (one entry per restart). */
    int failuresSeen(String jobId) {
        JsonNode exceptions = getOrNull("/jobs/" + jobId + "/exceptions");
        return exceptions == null ? 0 : exceptions.path("exceptionHistory").path("entries").size();
    }

    private void failIfEnded(JsonNode job) {
        String state = job.path("state").asText();
        if ("FAILED".equals(state) || "CANCELED".equals(state) || "FINISHED".equals(state)) {
            throw new AssertionError(
                    "job "
                            + job.path("jid").asText()
                            + " is "
                            + state
                            + ": "
                            + exceptions(job.path("jid").asText())
                            + "\n(logs in "
                            + dir.resolve("logs")
                            + ")");
        }
    }

    private void await(String what, Duration timeout, Await.Condition condition) {
        Await.until(what + " (logs in " + dir.resolve("logs") + ")", timeout, condition);
    }

    private JsonNode getOrNull(String path) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(uri(path))
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response =
                http.send(
                        request.timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(
                    request.build().uri()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    @Override
    public void close() throws Exception {
        for (Process tm : taskManagers) {
            JavaProcesses.kill(tm);
        }
        JavaProcesses.kill(jobManager);
    }
}
