package io.personalize.core.delivery;

/**
 * Escapes text for the inside of a JSON string (RFC 8259): quote, backslash and control characters;
 * also {@code <}, {@code >}, {@code &} and U+2028/U+2029, so a body pasted into HTML or a script
 * stays inert.
 */
final class JsonEscape {
    private JsonEscape() {}

    static String escape(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement =
                    switch (c) {
                        case '"' -> "\\\"";
                        case '\\' -> "\\\\";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        default ->
                                c < 0x20
                                                || c == '<'
                                                || c == '>'
                                                || c == '&'
                                                || c == '\u2028'
                                                || c == '\u2029'
                                        ? String.format("\\u%04x", (int) c)
                                        : null;
                    };
            if (replacement != null && out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }
}
