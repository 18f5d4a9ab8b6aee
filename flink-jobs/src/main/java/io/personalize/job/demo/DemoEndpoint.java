package io.personalize.job.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personalize.core.delivery.WebhookSignature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's trigger endpoint: a local HTTP server that checks each request's Standard Webhooks
 * signature (and that its timestamp is within five minutes), answers 401 to anything that fails,
 * and appends what it accepted to {@code deliveries.jsonl}, one JSON object per request with its
 * {@code webhook-id}. A second request with a known {@code webhook-id} is acknowledged and recorded
 * as a duplicate, as an email service provider de-duplicating on it would.
 *
 * <pre>{@code
 * try (DemoEndpoint endpoint = DemoEndpoint.start(secret, output.resolve("deliveries.jsonl"))) {
 *     URI url = endpoint.url(); // POST signed triggers here
 * }
 * }</pre>
 */
public final class DemoEndpoint implements AutoCloseable {
    public static final String PATH = "/triggers";
    private static final long TOLERANCE_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final WebhookSignature verifier;
    private final BufferedWriter log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> acceptedByFlow = new ConcurrentHashMap<>();
    private long duplicates;
    private long rejected;

    private DemoEndpoint(HttpServer server, WebhookSignature verifier, BufferedWriter log) {
        this.server = server;
        this.verifier = verifier;
        this.log = log;
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext(PATH, this::handle);
        server.start();
    }

    /** Starts on a free port of the loopback interface. */
    public static DemoEndpoint start(String secret, Path deliveries) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Files.createDirectories(deliveries.toAbsolutePath().getParent());
        return new DemoEndpoint(
                server,
                WebhookSignature.fromSecret(secret),
                Files.newBufferedWriter(deliveries, StandardCharsets.UTF_8));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
            String timestamp =
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
            String signature =
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
            if (!"POST".equals(exchange.getRequestMethod())
                    || !authentic(id, timestamp, body, signature)) {
                synchronized (this) {
                    rejected++;
                }
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            record(id, body);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private boolean authentic(String id, String timestamp, String body, String signature) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
        if (Math.abs(Instant.now().getEpochSecond() - seconds) > TOLERANCE_SECONDS) {
            return false;
        }
        return verifier.verify(id, seconds, body, signature);
    }

    private void record(String id, String body) throws IOException {
        boolean duplicate = !seen.add(id);
        JsonNode data = JSON.readTree(body).path("data");
        ObjectNode line = JSON.createObjectNode();
        line.put("received_at", Instant.now().toString());
        line.put("webhook_id", id);
        line.put("duplicate", duplicate);
        line.set("trigger", JSON.readTree(body));
        synchronized (this) {
            if (duplicate) {
                duplicates++;
            } else {
                acceptedByFlow.merge(data.path("flow_id").asText("?"), 1L, Long::sum);
            }
            log.write(JSON.writeValueAsString(line));
            log.newLine();
        }
    }

    /** Distinct triggers accepted, by flow. */
    public synchronized Map<String, Long> acceptedByFlow() {
        return new TreeMap<>(acceptedByFlow);
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    /** Requests refused with 401: a bad or missing signature, or a stale timestamp. */
    public synchronized long rejected() {
        return rejected;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdownNow();
        synchronized (this) {
            log.close();
        }
    }
}
