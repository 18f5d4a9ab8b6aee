package io.personalize.core.features.declared;

import java.util.Locale;

/** The three kinds of declared feature, as the file names them ({@code kind:}). */
public enum DeclaredKind {
    /** A value taken from CRM {@code profile_updated} events by a path into their profile. */
    PROFILE,
    /** An aggregate over the customer's events that match a CEL predicate, in a sliding window. */
    WINDOW,
    /** A CEL expression over other features. */
    DERIVED;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for its file name, or {@code null}. */
    public static DeclaredKind fromYaml(String name) {
        for (DeclaredKind kind : values()) {
            if (kind.yamlName().equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
