package io.personalize.core.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of field-name patterns, matched case-insensitively and across naming styles: names and
 * patterns are compared in their {@link #normalize normal form} (letters and digits, lower case),
 * so {@code email_address}, {@code emailAddress}, {@code Email-Address} and {@code EMAILADDRESS}
 * are one name, and {@code e_mail} is {@code email}.
 *
 * <p>A pattern is a name, optionally with {@code *} at its start, its end or both ({@code phone*},
 * {@code *address*}), optionally qualified by the name of the field that holds it ({@code
 * product.name}: a {@code name} directly inside a {@code product} object, or inside the objects of
 * a {@code product} array). Matching is a few string comparisons per pattern: linear in the name.
 *
 * <pre>{@code
 * FieldPatterns patterns = FieldPatterns.parse(List.of("email", "phone*", "product.name"));
 * patterns.matches("", FieldPatterns.normalize("phoneNumber")); // true
 * }</pre>
 */
public final class FieldPatterns implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final int EXACT = 0;
    private static final int PREFIX = 1;
    private static final int SUFFIX = 2;
    private static final int CONTAINS = 3;

    private final List<String> given;
    private final String[] parents;
    private final String[] names;
    private final int[] kinds;

    private FieldPatterns(List<String> given, String[] parents, String[] names, int[] kinds) {
        this.given = given;
        this.parents = parents;
        this.names = names;
        this.kinds = kinds;
    }

    /**
     * Reads patterns as configured.
     *
     * @throws IllegalArgumentException naming the first pattern that is not one
     */
    public static FieldPatterns parse(List<String> patterns) {
        List<String> kept = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> kinds = new ArrayList<>();
        for (String raw : patterns) {
            String pattern = raw == null ? "" : raw.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            int dot = pattern.indexOf('.');
            String parent = dot < 0 ? "" : normalize(pattern.substring(0, dot));
            String name = dot < 0 ? pattern : pattern.substring(dot + 1);
            boolean leading = name.startsWith("*");
            boolean trailing = name.length() > 1 && name.endsWith("*");
            String core = normalize(name);
            if (core.isEmpty()
                    || name.indexOf('.') >= 0
                    || (dot >= 0 && parent.isEmpty())
                    || name.substring(leading ? 1 : 0, name.length() - (trailing ? 1 : 0))
                                    .indexOf('*')
                            >= 0
                    || pattern.substring(0, Math.max(dot, 0)).indexOf('*') >= 0) {
                throw new IllegalArgumentException(
                        "'"
                                + pattern
                                + "' is not a field pattern (a name with * at its start or end,"
                                + " optionally parent.name)");
            }
            kept.add(pattern);
            parents.add(parent);
            names.add(core);
            kinds.add(
                    leading && trailing ? CONTAINS : leading ? SUFFIX : trailing ? PREFIX : EXACT);
        }
        return new FieldPatterns(
                List.copyOf(kept),
                parents.toArray(String[]::new),
                names.toArray(String[]::new),
                kinds.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The name in the form patterns compare: its letters and digits, in lower case. */
    public static String normalize(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (plain && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(name.length());
                out.append(name, 0, i);
            }
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out == null ? name : out.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a field matches, given normal forms; {@code parent} is the normal form of the field
     * that holds it ("" at the top, or when unknown: then only unqualified patterns apply).
     */
    public boolean matches(String parent, String name) {
        for (int i = 0; i < names.length; i++) {
            if (!parents[i].isEmpty() && !parents[i].equals(parent)) {
                continue;
            }
            if (matchesName(i, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some pattern qualified by a parent could match this name (normal form). */
    public boolean hasQualifiedMatch(String name) {
        for (int i = 0; i < names.length; i++) {
            if (!parents[i].isEmpty() && matchesName(i, name)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesName(int i, String name) {
        String core = names[i];
        return switch (kinds[i]) {
            case PREFIX -> name.startsWith(core);
            case SUFFIX -> name.endsWith(core);
            case CONTAINS -> name.contains(core);
            default -> name.equals(core);
        };
    }

    /** The patterns as configured. */
    public List<String> patterns() {
        return given;
    }

    @Override
    public String toString() {
        return String.join(", ", given);
    }
}
