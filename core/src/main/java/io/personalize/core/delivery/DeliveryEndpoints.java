package io.personalize.core.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.personalize.core.flows.FlowDurations;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trigger endpoints by id, from a YAML file. Every problem is listed at once; a secret written
 * in clear is refused.
 *
 * <pre>
 * endpoints:
 *   esp:
 *     url: https://esp.example.com/hooks/personalize
 *     secret-env: PERSONALIZE_SECRET_ESP      # or secret-file: /etc/personalize/secrets/esp
 *     timeout: 5s                             # per request (default 5s)
 *     rate-limit: 50                          # requests per second, whole job (default: none)
 * </pre>
 */
public record DeliveryEndpoints(Map<String, Endpoint> byId) implements Serializable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS =
            Set.of("url", "secret-env", "secret-file", "timeout", "rate-limit");

    public DeliveryEndpoints {
        byId = Map.copyOf(byId);
    }

    public Optional<Endpoint> get(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** The longest request timeout of any endpoint (the default when there is none). */
    public Duration slowestTimeout() {
        return byId.values().stream()
                .map(Endpoint::timeout)
                .max(Duration::compareTo)
                .orElse(DEFAULT_TIMEOUT);
    }

    public static DeliveryEndpoints load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * @throws IllegalArgumentException listing every problem, one per line
     */
    public static DeliveryEndpoints parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not YAML: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        JsonNode list = root == null ? null : root.get("endpoints");
        if (list == null || !list.isObject() || list.isEmpty()) {
            problems.add("endpoints: a map of endpoint id to its settings is required");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                Endpoint endpoint = endpoint(entry.getKey(), entry.getValue(), problems);
                if (endpoint != null) {
                    endpoints.put(entry.getKey(), endpoint);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    source + " refused:\n  " + String.join("\n  ", problems));
        }
        return new DeliveryEndpoints(endpoints);
    }

    private static Endpoint endpoint(String id, JsonNode node, List<String> problems) {
        String at = "endpoints." + id;
        if (!node.isObject()) {
            problems.add(at + ": must be a map (url, secret-env or secret-file, ...)");
            return null;
        }
        int before = problems.size();
        node.fieldNames()
                .forEachRemaining(
                        key -> {
                            if (key.equals("secret")) {
                                problems.add(
                                        at
                                                + ".secret: a secret is never written in the"
                                                + " configuration; use secret-env or secret-file");
                            } else if (!KEYS.contains(key)) {
                                problems.add(at + "." + key + ": unknown key; known: " + KEYS);
                            }
                        });
        URI url = url(at, text(node, "url"), problems);
        String env = text(node, "secret-env");
        String file = text(node, "secret-file");
        if ((env == null) == (file == null)) {
            problems.add(at + ": give exactly one of secret-env and secret-file");
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String timeoutText = text(node, "timeout");
        if (timeoutText != null) {
            Optional<Duration> parsed = FlowDurations.parse(timeoutText);
            if (parsed.isEmpty() || parsed.get().isNegative() || parsed.get().isZero()) {
                problems.add(at + ".timeout: '" + timeoutText + "' is not a positive duration");
            } else {
                timeout = parsed.get();
            }
        }
        double rate = 0;
        JsonNode rateNode = node.get("rate-limit");
        if (rateNode != null && !rateNode.isNull()) {
            if (!rateNode.isNumber() || rateNode.asDouble() < 0) {
                problems.add(at + ".rate-limit: requests per second, a number >= 0");
            } else {
                rate = rateNode.asDouble();
            }
        }
        return problems.size() > before ? null : new Endpoint(id, url, env, file, timeout, rate);
    }

    private static URI url(String at, String text, List<String> problems) {
        if (text == null) {
            problems.add(at + ".url: required");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
                    || uri.getHost() == null) {
                problems.add(at + ".url: '" + text + "' is not an http(s) URL");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(at + ".url: '" + text + "' is not a URL");
            return null;
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
