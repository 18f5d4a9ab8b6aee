package io.personalize.job.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local stand-in for three email services' APIs that checks each request against the shape their
 * documentation gives, answering {@code 202} when it holds and {@code 400} with the problems
 * otherwise:
 *
 * <ul>
 *   <li>{@code /v3/mail/send}, SendGrid v3 Mail Send: {@code personalizations[]} (1 to 1000) each
 *       with {@code to[].email} and an object {@code dynamic_template_data}, string-valued {@code
 *       custom_args}; {@code from.email}; a dynamic {@code template_id} ({@code d-...});
 *       Authorization {@code Bearer}.
 *   <li>{@code /api/events}, Klaviyo Create Event (JSON:API): {@code data.type=event}, {@code
 *       data.attributes.properties} object, {@code metric.data.type=metric} with {@code
 *       attributes.name}, {@code profile.data.type=profile} with an identifier ({@code
 *       external_id}, {@code email}, {@code phone_number} or {@code id}), {@code time} ISO-8601,
 *       {@code unique_id}; headers {@code revision}, Authorization {@code Klaviyo-API-Key}, content
 *       type {@code application/vnd.api+json}.
 *   <li>{@code /campaigns/trigger/send}, Braze API-triggered campaign: {@code campaign_id}, {@code
 *       recipients[]} (at most 50) each with {@code external_user_id} and an object {@code
 *       trigger_properties}; Authorization {@code Bearer}.
 * </ul>
 */
final class EmailServiceApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its path, headers that matter, body and problems found. */
    record Received(String path, String authorization, String body, List<String> problems) {}

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();

    EmailServiceApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v3/mail/send", e -> check(e, this::sendGrid));
        server.createContext("/api/events", e -> check(e, this::klaviyo));
        server.createContext("/campaigns/trigger/send", e -> check(e, this::braze));
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private interface Shape {
        void check(HttpExchange exchange, JsonNode body, List<String> problems);
    }

    private void check(HttpExchange exchange, Shape shape) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> problems = new ArrayList<>();
            if (!"POST".equals(exchange.getRequestMethod())) {
                problems.add("method " + exchange.getRequestMethod());
            }
            try {
                shape.check(exchange, JSON.readTree(body), problems);
            } catch (IOException e) {
                problems.add("not JSON: " + e.getMessage());
            }
            String path = exchange.getRequestURI().getPath();
            synchronized (this) {
                received.add(
                        new Received(
                                path,
                                exchange.getRequestHeaders().getFirst("authorization"),
                                body,
                                problems));
            }
            byte[] answer = String.join("\n", problems).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(problems.isEmpty() ? 202 : 400, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private void sendGrid(HttpExchange exchange, JsonNode body, List<String> problems) {
        auth(exchange, "Bearer ", problems);
        JsonNode personalizations = body.path("personalizations");
        if (!personalizations.isArray()
                || personalizations.isEmpty()
                || personalizations.size() > 1000) {
            problems.add("personalizations: 1 to 1000 required");
        }
        for (JsonNode p : personalizations) {
            JsonNode to = p.path("to");
            if (!to.isArray() || to.isEmpty()) {
                problems.add("personalizations[].to: required");
            }
            to.forEach(
                    t -> {
                        if (!t.path("email").asText().matches("[^@\\s]+@[^@\\s]+")) {
                            problems.add("to[].email: an address required");
                        }
                    });
            object(p, "dynamic_template_data", problems);
            p.path("custom_args")
                    .fields()
                    .forEachRemaining(
                            f -> {
                                if (!f.getValue().isTextual()) {
                                    problems.add("custom_args." + f.getKey() + ": not a string");
                                }
                            });
        }
        if (!body.path("from").path("email").asText().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add("from.email: an address required");
        }
        if (!body.path("template_id").asText().startsWith("d-")) {
            problems.add("template_id: a dynamic template id (d-...) required");
        }
    }

    private void klaviyo(HttpExchange exchange, JsonNode body, List<String> problems) {
        auth(exchange, "Klaviyo-API-Key ", problems);
        if (exchange.getRequestHeaders().getFirst("revision") == null) {
            problems.add("header revision: required");
        }
        String type = exchange.getRequestHeaders().getFirst("content-type");
        if (!"application/vnd.api+json".equals(type)) {
            problems.add("content-type: application/vnd.api+json required, was " + type);
        }
        JsonNode data = body.path("data");
        equal(data, "type", "event", problems);
        JsonNode attributes = data.path("attributes");
        object(attributes, "properties", problems);
        JsonNode metric = attributes.path("metric").path("data");
        equal(metric, "type", "metric", problems);
        text(metric.path("attributes"), "name", problems);
        JsonNode profile = attributes.path("profile").path("data");
        equal(profile, "type", "profile", problems);
        JsonNode who = profile.path("attributes");
        if (List.of("external_id", "email", "phone_number", "id").stream()
                .noneMatch(k -> who.path(k).isTextual())) {
            problems.add("profile: an identifier (external_id, email, phone_number, id) required");
        }
        text(attributes, "unique_id", problems);
        try {
            Instant.parse(attributes.path("time").asText());
        } catch (RuntimeException e) {
            problems.add("time: not ISO-8601");
        }
    }

    private void braze(HttpExchange exchange, JsonNode body, List<String> problems) {
        auth(exchange, "Bearer ", problems);
        text(body, "campaign_id", problems);
        JsonNode recipients = body.path("recipients");
        if (!recipients.isArray() || recipients.isEmpty() || recipients.size() > 50) {
            problems.add("recipients: 1 to 50 required");
        }
        for (JsonNode r : recipients) {
            text(r, "external_user_id", problems);
            object(r, "trigger_properties", problems);
        }
    }

    private static void auth(HttpExchange exchange, String scheme, List<String> problems) {
        String value = exchange.getRequestHeaders().getFirst("authorization");
        if (value == null || !value.startsWith(scheme) || value.length() == scheme.length()) {
            problems.add("authorization: " + scheme + "<key> required");
        }
    }

    private static void text(JsonNode node, String field, List<String> problems) {
        if (!node.path(field).isTextual() || node.path(field).asText().isEmpty()) {
            problems.add(field + ": a non-empty string required");
        }
    }

    private static void object(JsonNode node, String field, List<String> problems) {
        if (!node.path(field).isObject()) {
            problems.add(field + ": an object required");
        }
    }

    private static void equal(JsonNode node, String field, String value, List<String> problems) {
        if (!value.equals(node.path(field).asText())) {
            problems.add(field + ": '" + value + "' required");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
