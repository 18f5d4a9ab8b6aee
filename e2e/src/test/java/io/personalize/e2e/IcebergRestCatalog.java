package io.personalize.e2e;

import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CatalogType;
import java.io.File;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, from {@code
 * iceberg-open-api}'s test fixtures) in a JVM of its own, backed by a JDBC catalog in an SQLite
 * file, with table data under a local warehouse folder.
 */
final class IcebergRestCatalog implements AutoCloseable {
    private final Process process;
    private final String uri;
    private final String warehouse;

    private IcebergRestCatalog(Process process, String uri, String warehouse) {
        this.process = process;
        this.uri = uri;
        this.warehouse = warehouse;
    }

    static IcebergRestCatalog start(Path dir) throws Exception {
        Path warehouse = Files.createDirectories(dir.resolve("warehouse"));
        int port = JavaProcesses.freePort();
        // RESTCatalogServer reads its catalog's properties from CATALOG_* variables
        // (CATALOG_REST_PORT is rest.port, CATALOG_JDBC_SCHEMA__VERSION is jdbc.schema-version)
        Map<String, String> environment =
                Map.of(
                        "CATALOG_URI",
                        "jdbc:sqlite:" + dir.resolve("catalog.db"),
                        "CATALOG_WAREHOUSE",
                        warehouse.toUri().toString(),
                        "CATALOG_JDBC_SCHEMA__VERSION",
                        "V1",
                        "CATALOG_REST_PORT",
                        String.valueOf(port));
        Process process =
                JavaProcesses.start(
                        serverClassPath(),
                        List.of("-Xmx512m"),
                        "org.apache.iceberg.rest.RESTCatalogServer",
                        List.of(),
                        environment,
                        dir.resolve("rest-catalog.log"));
        IcebergRestCatalog catalog =
                new IcebergRestCatalog(
                        process, "http://127.0.0.1:" + port + "/", warehouse.toUri().toString());
        Await.until(
                "the REST catalog answers (log: " + dir.resolve("rest-catalog.log") + ")",
                Duration.ofMinutes(1),
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "the REST catalog exited:\n"
                                        + Files.readString(dir.resolve("rest-catalog.log")));
                    }
                    HttpURLConnection connection =
                            (HttpURLConnection)
                                    URI.create(catalog.uri + "v1/config").toURL().openConnection();
                    try {
                        return connection.getResponseCode() == 200;
                    } finally {
                        connection.disconnect();
                    }
                });
        return catalog;
    }

    /**
     * The test's class path without the job's Iceberg bundle, whose relocated Jackson the server's
     * classes (built against plain {@code iceberg-core}) cannot use.
     */
    private static String serverClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("iceberg-flink-runtime"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    String uri() {
        return uri;
    }

    String warehouse() {
        return warehouse;
    }

    /** The job's tables in {@code namespace} of this catalog, as the test reads them. */
    CatalogSettings settings(String namespace) {
        return new CatalogSettings(
                CatalogType.REST, "personalize", uri, warehouse, namespace, Map.of());
    }

    @Override
    public void close() throws Exception {
        JavaProcesses.kill(process);
    }
}
