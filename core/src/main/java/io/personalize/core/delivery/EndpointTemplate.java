package io.personalize.core.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import io.personalize.core.decisions.Decision;
import io.personalize.core.recommend.Recommendation;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mustache template (mustache.java) that maps a decision to the JSON request an email service's
 * API expects, instead of the generic Standard Webhooks body. Values are JSON-escaped, not
 * HTML-escaped: write {@code "name": "{{name}}"} for text, {@code "price": {{price}}} for a number.
 * The names a template can use are {@link TemplateModel}'s. Shipped: {@link #SHIPPED}.
 *
 * <p>Checked when loaded: the template must compile (no partials), name only known names, and
 * render two sample decisions (one with every field, one nearly empty) as JSON objects; the problem
 * is named otherwise. The {@code params.*} names it uses are {@link #params()}.
 *
 * <pre>{@code
 * EndpointTemplate t = EndpointTemplate.shipped("klaviyo-event");
 * String body = t.render(decision, Map.of(), Map.of("tpl_browse", "Browse Abandonment"));
 * }</pre>
 */
public final class EndpointTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Shipped templates, by name: {@code endpoint-templates/<name>.mustache} on the classpath. */
    public static final Set<String> SHIPPED =
            Set.of("sendgrid-mail-send", "klaviyo-event", "braze-campaign-trigger");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Names of the model, at any depth (a template's names are checked against these). */
    private static final Set<String> KNOWN =
            Set.of(
                    "decision_id",
                    "customer_id",
                    "flow_id",
                    "flows_version",
                    "template_id",
                    "flow_template_id",
                    "experiment_id",
                    "variant",
                    "trigger_name",
                    "triggered_at",
                    "decided_at",
                    "placeholder_address",
                    "variables",
                    "var",
                    "content_blocks",
                    "recommendations",
                    "params",
                    "name",
                    "value",
                    "id",
                    "products",
                    "product_id",
                    "category",
                    "price",
                    "image_url",
                    "last");

    private final String name;
    private final String text;
    private final Set<String> params;
    private transient Mustache compiled;

    private EndpointTemplate(String name, String text) {
        this.name = name;
        this.text = text;
        this.compiled = compile(name, text);
        this.params = check(compiled);
    }

    /**
     * A shipped template.
     *
     * @throws IllegalArgumentException naming the known ones when there is none of that name
     */
    public static EndpointTemplate shipped(String name) {
        if (!SHIPPED.contains(name)) {
            throw new IllegalArgumentException(
                    "no shipped template '" + name + "'; shipped: " + new TreeSet<>(SHIPPED));
        }
        String resource = "/endpoint-templates/" + name + ".mustache";
        try (InputStream in = EndpointTemplate.class.getResourceAsStream(resource)) {
            return of(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A template from its text.
     *
     * @throws IllegalArgumentException naming the problem: does not compile, an unknown name, or a
     *     sample rendering that is not a JSON object
     */
    public static EndpointTemplate of(String name, String text) {
        return new EndpointTemplate(name, text);
    }

    public String name() {
        return name;
    }

    /** The endpoint params the template reads ({@code params.from_email} -> {@code from_email}). */
    public Set<String> params() {
        return params;
    }

    /** The request body for a decision. */
    public String render(
            Decision decision, Map<String, String> params, Map<String, String> templateIds) {
        if (compiled == null) {
            compiled = compile(name, text);
        }
        StringWriter out = new StringWriter();
        compiled.execute(out, TemplateModel.of(decision, params, templateIds));
        return out.toString();
    }

    private static Mustache compile(String name, String text) {
        try {
            return new JsonMustacheFactory().compile(new StringReader(text), name);
        } catch (MustacheException e) {
            throw new IllegalArgumentException(
                    "template " + name + " does not compile: " + e.getMessage());
        }
    }

    /** The params it reads; refuses unknown names and samples that do not render as JSON. */
    private Set<String> check(Mustache mustache) {
        Set<String> read = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        names(mustache.getCodes(), read, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "template "
                            + name
                            + " names unknown values "
                            + unknown
                            + "; known: "
                            + new TreeSet<>(KNOWN)
                            + " and params.*, var.*");
        }
        Map<String, String> sampleParams = new java.util.HashMap<>();
        read.forEach(p -> sampleParams.put(p, "sample"));
        for (Decision sample : List.of(full(), sparse())) {
            String body = render(sample, sampleParams, Map.of());
            try {
                if (!JSON.readTree(body).isObject()) {
                    throw new IllegalArgumentException(
                            "template " + name + " does not render a JSON object");
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "template "
                                + name
                                + " does not render JSON (for a "
                                + (sample.variables.isEmpty() ? "nearly empty" : "full")
                                + " sample decision): "
                                + e.getOriginalMessage()
                                + " at line "
                                + e.getLocation().getLineNr()
                                + " of the body");
            }
        }
        return Set.copyOf(read);
    }

    private static void names(Code[] codes, Set<String> params, List<String> unknown) {
        if (codes == null) {
            return;
        }
        for (Code code : codes) {
            String n = code.getName();
            boolean names =
                    code instanceof ValueCode
                            || code instanceof IterableCode
                            || code instanceof NotIterableCode;
            if (names && n != null && !n.isEmpty()) {
                if (n.startsWith("params.")) {
                    params.add(n.substring("params.".length()));
                } else if (!n.startsWith("var.") && !KNOWN.contains(n)) {
                    unknown.add(n);
                }
            }
            names(code.getCodes(), params, unknown);
        }
    }

    private static Decision full() {
        Decision d = new Decision();
        d.decisionId = "sample-decision";
        d.customerId = "sample \"customer\"";
        d.flowId = "sample_flow";
        d.templateId = "tpl_sample";
        d.experimentId = "sample_experiment";
        d.variant = "a";
        d.triggerName = "browse_abandoned";
        d.contentBlocks.addAll(List.of(ContentBlocks.BROWSED_PRODUCTS, "recommendations", "x"));
        d.variables.put("browsed_product_id", "p1");
        d.variables.put("browsed_product_price", "1.50");
        d.variables.put("x.discount_code", "A\\\"B\n");
        d.recommendations.add(new Recommendation("p2", "n", "c", 2.5, "u", "popular", 1));
        d.recommendations.add(new Recommendation("p3", null, null, null, null, "popular", 1));
        return d;
    }

    private static Decision sparse() {
        Decision d = new Decision();
        d.decisionId = "sample-decision";
        return d;
    }

    /** Escapes for a JSON string instead of HTML; no partials. */
    private static final class JsonMustacheFactory extends DefaultMustacheFactory {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(JsonEscape.escape(value));
            } catch (IOException e) {
                throw new MustacheException("cannot write", e);
            }
        }

        @Override
        public Reader getReader(String resourceName) {
            throw new MustacheException("partials are not supported: " + resourceName);
        }
    }
}
