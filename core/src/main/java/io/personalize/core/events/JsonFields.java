package io.personalize.core.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of envelope fields that fail with the right dead-letter reason. */
final class JsonFields {
    private JsonFields() {}

    /**
     * A string field; {@code null} when absent, null or empty. The one rule for numbers where text
     * is expected (docs/event-envelope.md): a JSON integer (digits, no fraction or exponent) is
     * read as its decimal digits, so {@code 123} and {@code "123"} are the same id; any other
     * non-string ({@code 123.0}, {@code 1e2}, {@code true}, an object or array) is {@code
     * wrong_type}.
     */
    static String text(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE,
                    path + field + " must be a string (or a whole number)");
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }

    /**
     * An id: as {@link #text}, and without control characters (a NUL or a line break in an id would
     * make two ids look alike in logs, tables and HTTP headers).
     */
    static String id(JsonNode parent, String field, String path) throws InvalidEventException {
        String value = text(parent, field, path);
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    throw new InvalidEventException(
                            DeadLetterReason.WRONG_TYPE,
                            path + field + " must not contain control characters");
                }
            }
        }
        return value;
    }

    static String requiredId(JsonNode parent, String field, String path)
            throws InvalidEventException {
        String value = id(parent, field, path);
        if (value == null) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD, path + field + " is required");
        }
        return value;
    }

    static String requiredText(JsonNode parent, String field, String path)
            throws InvalidEventException {
        String value = text(parent, field, path);
        if (value == null) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD, path + field + " is required");
        }
        return value;
    }

    /** An object field; {@code null} when absent or null. */
    static JsonNode object(JsonNode parent, String field, String path)
            throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be an object");
        }
        return node;
    }

    static JsonNode requiredObject(JsonNode parent, String field, String path)
            throws InvalidEventException {
        JsonNode node = object(parent, field, path);
        if (node == null) {
            throw new InvalidEventException(
                    DeadLetterReason.MISSING_FIELD, path + field + " is required");
        }
        return node;
    }

    /**
     * A finite amount in {@code [0, max]}; {@code null} when absent. Numeric strings are accepted.
     */
    static Double amount(JsonNode parent, String field, String path, double max)
            throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        double value;
        if (node.isNumber()) {
            value = node.asDouble();
        } else if (node.isTextual()) {
            try {
                value = Double.parseDouble(node.asText().trim());
            } catch (NumberFormatException e) {
                throw new InvalidEventException(
                        DeadLetterReason.WRONG_TYPE, path + field + " must be a number");
            }
        } else {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be a number");
        }
        if (!(value >= 0 && value <= max)) { // also NaN and both infinities
            throw new InvalidEventException(
                    DeadLetterReason.INVALID_PRICE,
                    path
                            + field
                            + " must be a number from 0 to "
                            + max
                            + ", was "
                            + shortText(node));
        }
        return value;
    }

    /** A positive whole quantity; {@code 1} when absent. */
    static int quantity(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return 1;
        }
        if (!node.isNumber()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be a number");
        }
        double value = node.asDouble();
        if (value <= 0 || value != Math.rint(value) || value > Integer.MAX_VALUE) {
            throw new InvalidEventException(
                    DeadLetterReason.INVALID_QUANTITY,
                    path + field + " must be a whole number > 0, was " + shortText(node));
        }
        return (int) value;
    }

    /** The node's text, cut to 40 characters for messages (a number may have 1000 digits). */
    private static String shortText(JsonNode node) {
        String text = node.asText();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** A boolean field; {@code null} when absent. */
    static Boolean bool(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be true or false");
        }
        return node.booleanValue();
    }

    /** A whole number field; {@code null} when absent. */
    static Integer integer(JsonNode parent, String field, String path)
            throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be a whole number");
        }
        return node.intValue();
    }
}
