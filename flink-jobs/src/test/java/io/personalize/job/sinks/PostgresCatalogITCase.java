package io.personalize.job.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.testing.JobProcess;
import io.personalize.job.testing.PostgresServer;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CatalogType;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job writes its tables through a JDBC catalog on a real PostgreSQL server (the production
 * shape of the JDBC catalog; the demo's SQLite file is for one machine). Skipped where PostgreSQL
 * is not installed, unless {@value PostgresServer#REQUIRE_ENV}=1 (CI installs it and sets it).
 */
class PostgresCatalogITCase {
    private static final int EVENTS = 3_000;

    @TempDir Path tmp;

    @Test
    void theJobWritesEveryTableThroughAJdbcCatalogOnPostgres() throws Exception {
        Optional<Path> bin = PostgresServer.binaries();
        if (bin.isEmpty()) {
            assertThat(System.getenv(PostgresServer.REQUIRE_ENV))
                    .as(
                            "PostgreSQL is required (%s=1) but not installed",
                            PostgresServer.REQUIRE_ENV)
                    .isNotEqualTo("1");
            Assumptions.abort("PostgreSQL is not installed (Debian: postgresql)");
        }
        try (PostgresServer postgres = PostgresServer.start(bin.get())) {
            postgres.createDatabase("lakehouse");
            Path input = tmp.resolve("events.jsonl");
            new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(3)).writeTo(input, EVENTS);
            Path warehouse = tmp.resolve("warehouse");
            Path config = tmp.resolve("job.yaml");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "personalize.input.path: " + input,
                            "personalize.catalog.type: jdbc",
                            "personalize.catalog.name: lake",
                            "personalize.catalog.uri: " + postgres.url("lakehouse"),
                            "personalize.catalog.warehouse: " + warehouse.toUri(),
                            "personalize.state.dir: " + tmp.resolve("state"),
                            "personalize.checkpoint.interval: 1 s",
                            "parallelism.default: 2",
                            ""));
            Map<String, String> environment =
                    Map.of(
                            "PERSONALIZE_HASH_SECRET",
                            "postgres-catalog-test",
                            CatalogSettings.JDBC_USER_ENV,
                            PostgresServer.USER);
            try (JobProcess run =
                    JobProcess.start(
                            tmp,
                            tmp.resolve("job.log"),
                            environment,
                            "run",
                            "--config",
                            config.toString())) {
                assertThat(run.waitFor(10, TimeUnit.MINUTES)).as(run.output()).isZero();
                assertThat(run.output()).contains("== personalize run: finished in");
            }

            // read back through the same catalog, as an analyst's engine would
            CatalogSettings catalog =
                    new CatalogSettings(
                            CatalogType.JDBC,
                            "lake",
                            postgres.url("lakehouse"),
                            warehouse.toUri().toString(),
                            "personalize",
                            Map.of("jdbc.user", PostgresServer.USER));
            Map<String, Long> rows =
                    catalog.withCatalog(
                            c -> {
                                Map<String, Long> counts = new LinkedHashMap<>();
                                for (TableDefinition table : Tables.all()) {
                                    counts.put(
                                            table.name(),
                                            TableReader.rowCount(
                                                    c.loadTable(
                                                            table.identifier(
                                                                    catalog.icebergNamespace()))));
                                }
                                return counts;
                            });
            assertThat(rows.get("events")).isGreaterThan(EVENTS / 2);
            assertThat(rows.get("customer_features")).isPositive();
            assertThat(rows.get("decisions")).isPositive();

            // the catalog's own rows in PostgreSQL: every table, under the catalog's name
            try (Connection c =
                            DriverManager.getConnection(
                                    postgres.url("lakehouse"), PostgresServer.USER, "");
                    Statement s = c.createStatement();
                    ResultSet r =
                            s.executeQuery(
                                    "SELECT catalog_name, table_namespace, table_name"
                                            + " FROM iceberg_tables")) {
                TreeSet<String> listed = new TreeSet<>();
                while (r.next()) {
                    listed.add(r.getString(1) + "." + r.getString(2) + "." + r.getString(3));
                }
                TreeSet<String> expected = new TreeSet<>();
                for (TableDefinition table : Tables.all()) {
                    expected.add("lake.personalize." + table.name());
                }
                assertThat(listed).containsAll(expected);
            }
        }
    }
}
