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
 * in clear is refused, and so is a template that does not compile, names unknown values, does not
 * render JSON or reads a param the endpoint does not give.
 *
 * <pre>
 * endpoints:
 *   esp:
 *     url: https://esp.example.com/hooks/personalize
 *     secret-env: PERSONALIZE_SECRET_ESP      # or secret-file: /etc/personalize/secrets/esp
 *     timeout: 5s                             # per request (default 5s)
 *     rate-limit: 50                          # requests per second, whole job (default: none)
 *   sendgrid:
 *     url: https://api.sendgrid.com/v3/mail/send
 *     template: sendgrid-mail-send            # shipped, or template-file: my-esp.mustache
 *     secret-env: SENDGRID_API_KEY            # with a template: the API key
 *     params: {from_email: shop@example.com}  # what the template reads as params.*
 *     template-ids: {tpl_browse_abandonment: d-8f0e...}
 *     # auth-scheme: Bearer, content-type: application/json, headers: {...} (shipped defaults)
 * </pre>
 */
public record DeliveryEndpoints(Map<String, Endpoint> byId) implements Serializable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS =
            Set.of(
                    "url",
                    "secret-env",
                    "secret-file",
                    "timeout",
                    "rate-limit",
                    "template",
                    "template-file",
                    "params",
                    "template-ids",
                    "auth-scheme",
                    "content-type",
                    "headers");

    /** What each shipped template's API expects besides the body. */
    private record Defaults(String authScheme, String contentType, Map<String, String> headers) {}

    private static final Map<String, Defaults> SHIPPED_DEFAULTS =
            Map.of(
                    "sendgrid-mail-send",
                    new Defaults("Bearer", "application/json", Map.of()),
                    "klaviyo-event",
                    new Defaults(
                            "Klaviyo-API-Key",
                            "application/vnd.api+json",
                            Map.of("revision", "2024-10-15", "accept", "application/vnd.api+json")),
                    "braze-campaign-trigger",
                    new Defaults("Bearer", "application/json", Map.of()));

    private static final Defaults OWN_DEFAULTS =
            new Defaults("Bearer", "application/json", Map.of());

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
                Endpoint endpoint = endpoint(entry.getKey(), entry.getValue(), source, problems);
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

    private static Endpoint endpoint(
            String id, JsonNode node, String source, List<String> problems) {
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
        if (problems.size() > before) {
            return null;
        }
        if (node.get("template") == null && node.get("template-file") == null) {
            for (String key : List.of("params", "template-ids", "auth-scheme", "headers")) {
                if (node.has(key)) {
                    problems.add(at + "." + key + ": only for an endpoint with a template");
                }
            }
            return problems.size() > before
                    ? null
                    : new Endpoint(id, url, env, file, timeout, rate);
        }
        return templated(
                at, new Endpoint(id, url, env, file, timeout, rate), node, source, problems);
    }

    /** The endpoint with its template, or null after listing its problems. */
    private static Endpoint templated(
            String at, Endpoint plain, JsonNode node, String source, List<String> problems) {
        int before = problems.size();
        String shipped = text(node, "template");
        String file = text(node, "template-file");
        EndpointTemplate template = null;
        Defaults defaults = OWN_DEFAULTS;
        try {
            if (shipped != null && file != null) {
                problems.add(at + ": give one of template and template-file");
            } else if (shipped != null) {
                template = EndpointTemplate.shipped(shipped);
                defaults = SHIPPED_DEFAULTS.get(shipped);
            } else {
                Path path = Path.of(file);
                Path base = source == null ? null : Path.of(source).toAbsolutePath().getParent();
                if (!path.isAbsolute() && base != null) {
                    path = base.resolve(path);
                }
                template = EndpointTemplate.of(file, Files.readString(path));
            }
        } catch (IOException e) {
            problems.add(at + ".template-file: cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            problems.add(
                    at + (shipped != null ? ".template: " : ".template-file: ") + e.getMessage());
        }
        Map<String, String> params = texts(at + ".params", node.get("params"), problems);
        Map<String, String> ids = texts(at + ".template-ids", node.get("template-ids"), problems);
        Map<String, String> headers = new LinkedHashMap<>(defaults.headers());
        headers.putAll(texts(at + ".headers", node.get("headers"), problems));
        if (template != null) {
            for (String param : template.params()) {
                if (!params.containsKey(param)) {
                    problems.add(
                            at
                                    + ".params."
                                    + param
                                    + ": required, the template "
                                    + template.name()
                                    + " reads it");
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        String scheme = text(node, "auth-scheme");
        String contentType = text(node, "content-type");
        return new Endpoint(
                plain.id(),
                plain.url(),
                plain.secretEnv(),
                plain.secretFile(),
                plain.timeout(),
                plain.ratePerSecond(),
                template,
                params,
                ids,
                scheme != null ? scheme : defaults.authScheme(),
                contentType != null ? contentType : defaults.contentType(),
                headers);
    }

    /** A map of texts (numbers and booleans as written), or a problem. */
    private static Map<String, String> texts(String at, JsonNode node, List<String> problems) {
        Map<String, String> texts = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return texts;
        }
        if (!node.isObject()) {
            problems.add(at + ": a map of names to texts");
            return texts;
        }
        node.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                                texts.put(e.getKey(), e.getValue().asText());
                            } else {
                                problems.add(at + "." + e.getKey() + ": a text is required");
                            }
                        });
        return texts;
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
