package io.personalize.tables;

import java.util.Locale;

/** The kinds of Iceberg catalog the job can use. */
public enum CatalogType {
    /**
     * A JDBC catalog: an SQLite file by default (embedded, no server), PostgreSQL in production.
     */
    JDBC,
    /** An Iceberg REST catalog (Polaris, Nessie, Gravitino, Lakekeeper, a cloud's service). */
    REST,
    /** A Hadoop catalog: metadata files on a file system, no catalog service (tests, demos). */
    HADOOP,
    /** AWS Glue ({@code GlueCatalog}; needs the AWS SDK bundle next to the job jar). */
    GLUE,
    /**
     * Project Nessie's own catalog ({@code NessieCatalog}); Nessie's REST API also works as REST.
     */
    NESSIE,
    /** Any catalog class, named by the catalog property {@code catalog-impl}. */
    CUSTOM;

    /** The catalog class of a type that is loaded by class name; null for the others. */
    public String implementation() {
        return switch (this) {
            case GLUE -> "org.apache.iceberg.aws.glue.GlueCatalog";
            case NESSIE -> "org.apache.iceberg.nessie.NessieCatalog";
            default -> null;
        };
    }

    public static CatalogType parse(String name) {
        return CatalogType.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
