package io.personalize.job.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.job.testing.JobProcess;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/personalize demo --keep-running} in a JVM of its own, with everything it starts (the
 * Flink web UI and REST endpoint, the blob server, the task manager, the Prometheus reporter, the
 * demo's trigger endpoint): every socket the process listens on is bound to 127.0.0.1, read from
 * {@code /proc} as {@code ss -ltn} would show it, and jobs cannot be uploaded over REST.
 */
class LoopbackOnlyITCase {
    @TempDir Path tmp;

    @Test
    void theDemoListensOnLoopbackOnlyAndTakesNoJarUploads() throws Exception {
        int restPort = freePort();
        int metricsPort = freePort();
        try (JobProcess demo =
                JobProcess.start(
                        tmp,
                        tmp.resolve("demo.log"),
                        Map.of(),
                        "demo",
                        "--keep-running",
                        "--events",
                        "2000",
                        "--output",
                        tmp.resolve("out").toString(),
                        "--set",
                        "rest.port=" + restPort,
                        "--set",
                        "metrics.reporter.prom.port=" + metricsPort)) {
            List<InetSocketAddress> listening = awaitListening(demo, restPort, metricsPort);

            assertThat(listening)
                    .as("every address the demo listens on")
                    .hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
            HttpClient http = HttpClient.newHttpClient();
            // the REST endpoint answers 503 until the dispatcher has been elected leader
            HttpResponse<String> overview = null;
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            do {
                if (overview != null) {
                    Thread.sleep(200);
                }
                overview =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:" + restPort + "/config"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
            } while (overview.statusCode() == 503 && System.nanoTime() < deadline);
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("\"web-submit\":false");
            HttpResponse<String> upload =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + restPort
                                                            + "/jars/upload"))
                                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(404);
            HttpResponse<String> metrics =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:" + metricsPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("flink_");

            // the project's own families pass Prometheus's linter once decisions were made
            String body = metrics.body();
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (!body.contains("personalize_flow_outcome_decisions")
                    && System.nanoTime() < until) {
                Thread.sleep(500);
                body =
                        http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create(
                                                                "http://127.0.0.1:"
                                                                        + metricsPort
                                                                        + "/metrics"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body();
            }
            assertThat(body).contains("personalize_flow_outcome_decisions");
            assertThat(PromtoolLint.problemsOf(body, "_personalize_"))
                    .as("promtool check metrics on the job's own families")
                    .isEmpty();
        }
    }

    /** Waits until the web UI and the metrics reporter listen, then returns every listener. */
    private static List<InetSocketAddress> awaitListening(JobProcess demo, int... ports)
            throws Exception {
        long deadline = System.currentTimeMillis() + 4 * 60_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(demo.isAlive()).as("the demo ended: %s", demo.output()).isTrue();
            List<InetSocketAddress> listening = JobProcess.listeningAddresses(demo.pid());
            List<Integer> bound = listening.stream().map(InetSocketAddress::getPort).toList();
            if (java.util.Arrays.stream(ports).allMatch(bound::contains)
                    && demo.output().contains("running the job")) {
                return listening;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo did not start listening: " + demo.output());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
