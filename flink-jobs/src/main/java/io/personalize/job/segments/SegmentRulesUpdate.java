package io.personalize.job.segments;

import java.util.Objects;

/**
 * One reading of a definitions file the customer stage watches (or, later, a message of a
 * definitions topic): the segment definitions' YAML text, or the error that kept it from being
 * read. The segment stage applies a text once it differs from what serves and raises the version.
 * With {@link #kind} {@link #SUPPRESSION_LIST}, a reading of the suppression list instead: its text
 * is the listed addresses' hashes, one a line (hashed when read, never in clear), or the error that
 * refused it; with {@link #DECLARED_FEATURES}, a reading of the declared-features file. A Flink
 * POJO.
 */
public class SegmentRulesUpdate {
    /** The {@link #kind} of a suppression list reading. */
    public static final String SUPPRESSION_LIST = "suppression_list";

    /** The {@link #kind} of a declared-features file reading (its YAML text). */
    public static final String DECLARED_FEATURES = "declared_features";

    /**
     * Null for segment definitions; {@link #SUPPRESSION_LIST} for a suppression list; {@link
     * #DECLARED_FEATURES} for declared features.
     */
    public String kind;

    /** Where it came from: a file path or a topic. */
    public String source;

    /** The definitions YAML; null when the source could not be read. */
    public String text;

    /** Why the source could not be read; null when it was. */
    public String error;

    /** Processing time of the reading. */
    public long readAt;

    public SegmentRulesUpdate() {}

    public static SegmentRulesUpdate of(String source, String text, long readAt) {
        SegmentRulesUpdate u = new SegmentRulesUpdate();
        u.source = source;
        u.text = text;
        u.readAt = readAt;
        return u;
    }

    /** Whether this is a suppression list reading. */
    public boolean isSuppressionList() {
        return SUPPRESSION_LIST.equals(kind);
    }

    /** Whether this is a declared-features reading. */
    public boolean isDeclaredFeatures() {
        return DECLARED_FEATURES.equals(kind);
    }

    public static SegmentRulesUpdate unreadable(String source, String error, long readAt) {
        SegmentRulesUpdate u = of(source, null, readAt);
        u.error = error;
        return u;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentRulesUpdate u
                && readAt == u.readAt
                && Objects.equals(kind, u.kind)
                && Objects.equals(source, u.source)
                && Objects.equals(text, u.text)
                && Objects.equals(error, u.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, source, text, error, readAt);
    }
}
