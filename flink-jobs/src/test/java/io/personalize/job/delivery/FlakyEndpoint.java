package io.personalize.job.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.personalize.core.delivery.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real local HTTP server for delivery tests. {@code /flaky} answers about 30 % of requests badly:
 * 503, 429 with {@code Retry-After: 1}, or a 200 only after the client's timeout; the rest get 200
 * when signed correctly (401 otherwise). {@code /broken} always answers 500. Every request is
 * recorded with what it was answered and whether the answer came within the client's timeout (a 200
 * the client had stopped waiting for acknowledges nothing).
 */
final class FlakyEndpoint implements AutoCloseable {
    /** One request as the server saw it. */
    record Received(
            String path,
            String webhookId,
            String bodyDecisionId,
            boolean signed,
            int answered,
            boolean inTime) {

        /** A 2xx the client was still waiting for. */
        boolean acknowledged() {
            return answered / 100 == 2 && inTime;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final WebhookSignature verifier;
    private final Random random;
    private final long slowAnswerMillis;
    private final long clientTimeoutMillis;
    private final List<Received> received = new ArrayList<>();

    FlakyEndpoint(String secret, long seed, long slowAnswerMillis, long clientTimeoutMillis)
            throws IOException {
        this.verifier = WebhookSignature.fromSecret(secret);
        this.random = new Random(seed);
        this.slowAnswerMillis = slowAnswerMillis;
        this.clientTimeoutMillis = clientTimeoutMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/flaky", this::flaky);
        server.createContext(
                "/broken", exchange -> answer(exchange, "/broken", 500, null, System.nanoTime()));
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void flaky(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < 0.15) {
            answer(exchange, "/flaky", 503, null, started);
        } else if (draw < 0.20) {
            answer(exchange, "/flaky", 429, "1", started);
        } else if (draw < 0.30) {
            try {
                Thread.sleep(slowAnswerMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, "/flaky", 200, null, started);
        } else {
            answer(exchange, "/flaky", 200, null, started);
        }
    }

    private void answer(
            HttpExchange exchange, String path, int status, String retryAfter, long started)
            throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
            boolean signed =
                    verifier.verify(
                            id,
                            Long.parseLong(
                                    exchange.getRequestHeaders()
                                            .getFirst(WebhookSignature.TIMESTAMP_HEADER)),
                            body,
                            exchange.getRequestHeaders()
                                    .getFirst(WebhookSignature.SIGNATURE_HEADER));
            int answered = status == 200 && !signed ? 401 : status;
            // measured here from the request's arrival: the client started waiting before that
            boolean inTime = System.nanoTime() - started < clientTimeoutMillis * 1_000_000;
            synchronized (received) {
                received.add(
                        new Received(
                                path,
                                id,
                                JSON.readTree(body).path("data").path("decision_id").asText(),
                                signed,
                                answered,
                                inTime));
            }
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(answered, -1);
        }
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
