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
    HADOOP;

    public static CatalogType parse(String name) {
        return CatalogType.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
