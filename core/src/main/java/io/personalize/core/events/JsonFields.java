package io.personalize.core.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of envelope fields that fail with the right dead-letter reason. */
final class JsonFields {
    private JsonFields() {}

    /** A string (or number) field; {@code null} when absent, null or empty. */
    static String text(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isValueNode()) {
            throw new InvalidEventException(
                    DeadLetterReason.WRONG_TYPE, path + field + " must be a string");
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
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

    /** A non-negative finite amount; {@code null} when absent. Numeric strings are accepted. */
    static Double amount(JsonNode parent, String field, String path) throws InvalidEventException {
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
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            throw new InvalidEventException(
                    DeadLetterReason.INVALID_PRICE,
                    path + field + " must be a finite number >= 0, was " + node.asText());
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
                    path + field + " must be a whole number > 0, was " + node.asText());
        }
        return (int) value;
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
