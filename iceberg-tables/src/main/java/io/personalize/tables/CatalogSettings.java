package io.personalize.tables;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;

/**
 * Where the tables live: catalog type, URI, warehouse and namespace, and the credentials read from
 * the environment (never from a configuration file).
 *
 * <pre>{@code
 * CatalogSettings local = CatalogSettings.localSqlite(Path.of("demo-output/warehouse"), "personalize");
 * TableLoader events = local.tableLoader(Tables.EVENTS);
 * }</pre>
 *
 * <p>Environment variables: {@code PERSONALIZE_CATALOG_JDBC_USER}, {@code
 * PERSONALIZE_CATALOG_JDBC_PASSWORD} (JDBC), {@code PERSONALIZE_CATALOG_REST_CREDENTIAL}, {@code
 * PERSONALIZE_CATALOG_REST_TOKEN} (REST). Object-store credentials come from the usual chains of
 * the file IO in use. {@code extraProperties} go to the catalog as they are (and through it to its
 * file IO): {@code io-impl}, {@code s3.endpoint}, {@code client.region}, {@code header.*}, ...
 */
public record CatalogSettings(
        CatalogType type,
        String name,
        String uri,
        String warehouse,
        String namespace,
        Map<String, String> extraProperties)
        implements Serializable {

    public static final String JDBC_USER_ENV = "PERSONALIZE_CATALOG_JDBC_USER";
    public static final String JDBC_PASSWORD_ENV = "PERSONALIZE_CATALOG_JDBC_PASSWORD";
    public static final String REST_CREDENTIAL_ENV = "PERSONALIZE_CATALOG_REST_CREDENTIAL";
    public static final String REST_TOKEN_ENV = "PERSONALIZE_CATALOG_REST_TOKEN";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";

    public CatalogSettings {
        extraProperties = Map.copyOf(extraProperties);
    }

    /** An SQLite-backed JDBC catalog in {@code dir/catalog.db} with data under {@code dir}. */
    public static CatalogSettings localSqlite(Path dir, String namespace) {
        return localSqlite(dir, namespace, Map.of());
    }

    /** As {@link #localSqlite(Path, String)}, with more catalog and file IO properties. */
    public static CatalogSettings localSqlite(
            Path dir, String namespace, Map<String, String> properties) {
        Path absolute = dir.toAbsolutePath().normalize();
        return new CatalogSettings(
                CatalogType.JDBC,
                "personalize",
                "jdbc:sqlite:" + absolute.resolve("catalog.db"),
                absolute.toUri().toString(),
                namespace,
                properties);
    }

    public Namespace icebergNamespace() {
        return Namespace.of(namespace.split("\\."));
    }

    /** A serializable loader of the catalog, reading credentials from the process environment. */
    public CatalogLoader catalogLoader() {
        return catalogLoader(System::getenv);
    }

    /** As {@link #catalogLoader()}, with the environment given (for tests). */
    public CatalogLoader catalogLoader(Function<String, String> environment) {
        Map<String, String> properties = new HashMap<>(extraProperties);
        if (warehouse != null) {
            properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        }
        if (uri != null) {
            properties.put(CatalogProperties.URI, uri);
        }
        Configuration hadoopConf = new Configuration();
        // file: warehouses without a process fork per file (see NioLocalFileSystem)
        hadoopConf.set("fs.file.impl", NioLocalFileSystem.class.getName());
        hadoopConf.setBoolean("fs.file.impl.disable.cache", true);
        return switch (type) {
            case JDBC -> {
                putFromEnvironment(properties, "jdbc.user", environment.apply(JDBC_USER_ENV));
                putFromEnvironment(
                        properties, "jdbc.password", environment.apply(JDBC_PASSWORD_ENV));
                if (uri != null && uri.startsWith(SQLITE_PREFIX)) {
                    createParentDirectory(uri.substring(SQLITE_PREFIX.length()));
                    // One file shared by several committers: wait for the lock instead of failing.
                    properties.putIfAbsent("jdbc.busy_timeout", "30000");
                }
                properties.putIfAbsent("jdbc.schema-version", "V1");
                yield CatalogLoader.custom(
                        name, properties, hadoopConf, "org.apache.iceberg.jdbc.JdbcCatalog");
            }
            case REST -> {
                putFromEnvironment(
                        properties, "credential", environment.apply(REST_CREDENTIAL_ENV));
                putFromEnvironment(properties, "token", environment.apply(REST_TOKEN_ENV));
                yield CatalogLoader.rest(name, hadoopConf, properties);
            }
            case HADOOP -> CatalogLoader.hadoop(name, hadoopConf, properties);
            case GLUE, NESSIE ->
                    CatalogLoader.custom(name, properties, hadoopConf, type.implementation());
            case CUSTOM ->
                    CatalogLoader.custom(
                            name,
                            properties,
                            hadoopConf,
                            properties.get(CatalogProperties.CATALOG_IMPL));
        };
    }

    /** Loads the catalog, applies {@code action} to it, and closes it again. */
    public <T> T withCatalog(Function<Catalog, T> action) {
        Catalog catalog = catalogLoader().loadCatalog();
        try {
            return action.apply(catalog);
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Closing only releases connections; the action's result stands.
                }
            }
        }
    }

    /** A serializable loader of one table, for a sink. */
    public TableLoader tableLoader(TableDefinition table) {
        return TableLoader.fromCatalog(catalogLoader(), table.identifier(icebergNamespace()));
    }

    private static void createParentDirectory(String sqliteFile) {
        Path parent = Path.of(sqliteFile).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the catalog directory " + parent, e);
        }
    }

    private static void putFromEnvironment(
            Map<String, String> properties, String key, String value) {
        if (value != null && !value.isBlank()) {
            properties.put(key, value);
        }
    }
}
