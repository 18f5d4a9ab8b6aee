package io.personalize.core.flows;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A flow definitions file: a version (recorded with every decision; a reload must raise it) and the
 * flows. Loaded from YAML, unknown keys refused:
 *
 * <pre>
 * version: 1
 * flows:
 *   - id: cart_reminder
 *     name: Cart reminder
 *     trigger: {pattern: cart_reminder_due}
 *     conditions: ["cart_items > 0"]
 *     priority: 70
 *     cooldown: 1d
 *     endpoint: esp
 *     template: tpl_cart_reminder
 *     content:
 *       - blocks: [cart_items, recommendations]
 * </pre>
 *
 * Checked by {@link FlowCompiler}.
 */
public record FlowDefinitions(long version, List<FlowDefinition> flows) implements Serializable {

    /** The shipped defaults, on the classpath. */
    public static final String DEFAULTS_RESOURCE = "/flows/default-flows.yaml";

    private static final ObjectMapper YAML =
            new ObjectMapper(
                            new YAMLFactory()
                                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

    public FlowDefinitions {
        flows = flows == null ? List.of() : List.copyOf(flows);
    }

    /**
     * Parses YAML text.
     *
     * @throws IllegalArgumentException when the text is not a flow definitions file
     */
    public static FlowDefinitions parse(String yaml) {
        try {
            FlowDefinitions parsed = YAML.readValue(yaml, FlowDefinitions.class);
            if (parsed == null) {
                throw new IllegalArgumentException("empty flow definitions");
            }
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a flow definitions file: " + e.getMessage(), e);
        }
    }

    /** The definitions as YAML that {@link #parse} reads back to equal definitions. */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FlowDefinitions load(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** The YAML text of the shipped defaults. */
    public static String defaultsText() {
        try (InputStream in = FlowDefinitions.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FlowDefinitions defaults() {
        return parse(defaultsText());
    }
}
