package io.personalize.core.features.declared;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.core.features.FeatureType;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Values of declared features as Java holds them: String, Double (number), Long (integer), Boolean,
 * Long epoch milliseconds UTC (date), List of String. Read from the file's defaults and from
 * profile events; a value of another type is none.
 */
final class DeclaredValues {
    private DeclaredValues() {}

    /** The {@code default:} of a feature, in its type; a problem when it is not of it. */
    static Object defaultValue(
            String name, Node node, FeatureType type, List<FeatureProblem> problems) {
        if (node == null) {
            return null;
        }
        Object value = null;
        if (type == FeatureType.STRING_LIST && node instanceof SequenceNode list) {
            List<String> items = new ArrayList<>();
            for (Node item : list.getValue()) {
                String text = DeclaredFile.text(item);
                if (text == null) {
                    items = null;
                    break;
                }
                items.add(text);
            }
            value = items == null ? null : List.copyOf(items);
        } else if (node instanceof ScalarNode scalar && type != FeatureType.STRING_LIST) {
            value = fromText(scalar.getValue(), type);
        }
        if (value == null) {
            problems.add(
                    DeclaredFile.at(
                            name,
                            node,
                            "default is not a " + DeclaredFile.typeName(type) + " value"));
        }
        return value;
    }

    /** A JSON value in the type; null when it is not one of it. */
    static Object fromJson(JsonNode node, FeatureType type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (type) {
            case STRING -> node.isTextual() ? node.textValue() : null;
            case DOUBLE -> node.isNumber() ? node.doubleValue() : null;
            case LONG -> node.isIntegralNumber() ? node.longValue() : null;
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : null;
            case TIMESTAMP ->
                    node.isTextual()
                            ? date(node.textValue())
                            : node.isIntegralNumber() ? node.longValue() : null;
            case STRING_LIST -> strings(node);
            default -> null;
        };
    }

    private static List<String> strings(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                return null;
            }
            items.add(item.textValue());
        }
        return List.copyOf(items);
    }

    private static Object fromText(String text, FeatureType type) {
        try {
            return switch (type) {
                case STRING -> text;
                case DOUBLE -> Double.parseDouble(text);
                case LONG -> Long.parseLong(text);
                case BOOLEAN ->
                        "true".equals(text) ? Boolean.TRUE : "false".equals(text) ? false : null;
                case TIMESTAMP -> date(text);
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An ISO date (midnight UTC) or date-time with an offset, as epoch milliseconds; or null. */
    static Long date(String text) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            }
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
