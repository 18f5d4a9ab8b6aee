package io.personalize.core.features;

import io.personalize.core.features.declared.DeclaredFeature;
import java.util.Locale;

/**
 * docs/features.md: the registry as Markdown. With a deployment's declared features ({@code
 * bin/personalize features docs FILE}) a second table lists them, with what computes each.
 */
public final class FeatureDocs {
    private FeatureDocs() {}

    /** The document for a registry: the built-in features, then the declared ones if any. */
    public static String markdown(FeatureRegistry registry) {
        StringBuilder out = new StringBuilder();
        out.append("# Customer features\n\n")
                .append(
                        "Generated from `io.personalize.core.features.FeatureRegistry` by"
                                + " `FeatureDocsTest`; do not edit by hand.\n")
                .append(
                        "Windows are inclusive: an event at t is in a window of length W while"
                                + " `as_of - t <= W`, and leaves it at exactly `t + W + 1 ms` (a"
                                + " timer fires then, no new event needed). Orders and sessions"
                                + " with ids keep exact times; views, cart adds, web events"
                                + " without a session id and email events are merged to the clock"
                                + " minute. The same events give the same values in any arrival"
                                + " order, except the open cart, a 21st affinity category and a"
                                + " soft-bounce run a late delivery would have broken (see their"
                                + " rows), and suppressed_at of the suppression list (the time"
                                + " the list met the customer). A missing value with no default"
                                + " is unknown to rules. Max age: none for the built-in"
                                + " features, which every snapshot computes as of its own time"
                                + " (an event, or the timer of the next expiry or lifecycle"
                                + " threshold), so none can go stale; a decision records the"
                                + " as_of of the features it read (`features_as_of`). Declared"
                                + " profile attributes, which only the CRM refreshes, may have"
                                + " one: older than it, they are unknown.\n\n")
                .append(
                        "A deployment may declare features of its own"
                                + " (`personalize.features.declared`, README: Declared features):"
                                + " `bin/personalize features docs FILE` prints this document with"
                                + " them in a second table.\n\n")
                .append(FeatureRegistry.standard().markdownTable());
        if (!registry.declared().isEmpty()) {
            out.append("\n## Declared features\n\n")
                    .append("| name | kind | type | window | default | max age | computed as |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (DeclaredFeature d : registry.declared()) {
                out.append("| `")
                        .append(d.name())
                        .append("` | ")
                        .append(d.kind().yamlName())
                        .append(" | ")
                        .append(d.type().name().toLowerCase(Locale.ROOT))
                        .append(" | ")
                        .append(d.window() == null ? "—" : d.window().toString())
                        .append(" | ")
                        .append(
                                d.defaultValue() == null
                                        ? "none (unknown)"
                                        : "`" + d.defaultValue() + "`")
                        .append(" | ")
                        .append(d.maxAge() == null ? "—" : d.maxAge().toString())
                        .append(" | ")
                        .append(d.describe().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return out.toString();
    }
}
