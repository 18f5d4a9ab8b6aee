package io.personalize.job.delivery;

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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real local HTTP server that records every attempt per webhook id, when it arrived, its body and
 * what it was answered and when. {@code /flaky} answers 30 % of requests badly: 15 % {@code 503}, 5
 * % {@code 429} with {@code Retry-After: 1}, 10 % a {@code 200} only after {@code slowMillis} (past
 * the client's timeout); the rest get {@code 200}. {@code /broken} always answers {@code 500}.
 */
final class CountingEndpoint implements AutoCloseable {
    /** One request: arrival and answer times are this JVM's wall clock in milliseconds. */
    record Attempt(
            String webhookId,
            String body,
            long arrivedAt,
            int status,
            long retryAfterMillis,
            long answeredAt) {
        boolean succeeded() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final Random random;
    private final long slowMillis;
    private final List<Attempt> attempts = new ArrayList<>();

    CountingEndpoint(long seed, long slowMillis) throws IOException {
        this.random = new Random(seed);
        this.slowMillis = slowMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/flaky", this::flaky);
        server.createContext("/broken", exchange -> answer(exchange, 500, -1, 0));
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void flaky(HttpExchange exchange) throws IOException {
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (draw < 0.15) {
            answer(exchange, 503, -1, 0);
        } else if (draw < 0.20) {
            answer(exchange, 429, 1, 0);
        } else if (draw < 0.30) {
            answer(exchange, 200, -1, slowMillis);
        } else {
            answer(exchange, 200, -1, 0);
        }
    }

    private void answer(HttpExchange exchange, int status, long retryAfterSeconds, long delay)
            throws IOException {
        long arrivedAt = System.currentTimeMillis();
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst(WebhookSignature.ID_HEADER);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (attempts) {
                attempts.add(
                        new Attempt(
                                id,
                                body,
                                arrivedAt,
                                status,
                                retryAfterSeconds < 0 ? -1 : retryAfterSeconds * 1000,
                                System.currentTimeMillis()));
            }
            if (retryAfterSeconds >= 0) {
                exchange.getResponseHeaders().add("Retry-After", Long.toString(retryAfterSeconds));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /** Every attempt by webhook id, in order of arrival. */
    Map<String, List<Attempt>> attemptsById() {
        List<Attempt> copy;
        synchronized (attempts) {
            copy = new ArrayList<>(attempts);
        }
        copy.sort((a, b) -> Long.compare(a.arrivedAt(), b.arrivedAt()));
        return copy.stream().collect(Collectors.groupingBy(Attempt::webhookId));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
