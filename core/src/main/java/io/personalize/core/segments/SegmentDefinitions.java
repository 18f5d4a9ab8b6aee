package io.personalize.core.segments;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A segment definitions file: a rule-set {@code version} (recorded with every membership change)
 * and the segments. Loaded from YAML:
 *
 * <pre>
 * version: 3
 * segments:
 *   - id: frequent_buyers
 *     name: Frequent Buyers
 *     description: more than 3 orders in the last 30 days
 *     rule: orders_30d > 3
 *     tags: [loyalty]
 * </pre>
 */
public record SegmentDefinitions(long version, List<SegmentDefinition> segments)
        implements Serializable {

    /** The shipped defaults, on the classpath. */
    public static final String DEFAULTS_RESOURCE = "/segments/default-segments.yaml";

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public SegmentDefinitions {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /**
     * Parses YAML text.
     *
     * @throws IllegalArgumentException when the text is not a definitions file
     */
    public static SegmentDefinitions parse(String yaml) {
        try {
            SegmentDefinitions parsed = YAML.readValue(yaml, SegmentDefinitions.class);
            if (parsed == null) {
                throw new IllegalArgumentException("empty segment definitions");
            }
            return parsed;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "not a segment definitions file: " + e.getMessage(), e);
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

    public static SegmentDefinitions load(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8));
    }

    /** The YAML text of the shipped defaults. */
    public static String defaultsText() {
        try (InputStream in = SegmentDefinitions.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SegmentDefinitions defaults() {
        return parse(defaultsText());
    }
}
