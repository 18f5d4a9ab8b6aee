package io.personalize.core.features;

/** Value types of features, as rules, model cards and tables see them. */
public enum FeatureType {
    LONG,
    DOUBLE,
    STRING,
    /** A declared profile attribute or derived feature: true / false. */
    BOOLEAN,
    /** Epoch milliseconds UTC; a {@code timestamptz} in the tables. */
    TIMESTAMP,
    STRING_LIST,
    /** Category to share, e.g. {@code category_affinity}. */
    STRING_DOUBLE_MAP
}
