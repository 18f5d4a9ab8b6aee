package io.personalize.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.RawRecord;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.Operators;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.JobSettings;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.FileInputs;
import io.personalize.job.testing.FailOnceAfterCheckpoint;
import io.personalize.job.testing.TableRows;
import io.personalize.job.testing.TestConfig;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input gives the same decisions and the same emails: two runs of the whole job at
 * parallelism 2 on the demo data, and a third that fails part-way and restores from its last
 * checkpoint, write identical {@code decisions} rows (every column but the processing time) and
 * send identical trigger bodies to a real HTTP endpoint.
 */
class SameInputSameDecisionsITCase {
    private static final int EVENTS = 20_000;
    private static final String SECRET = "whsec_c2FtZS1pbnB1dC1zYW1lLWRlY2lzaW9ucw==";

    @TempDir Path tmp;

    @Test
    void twoRunsAndARunRestoredFromACheckpointDecideAndSendTheSame() throws Exception {
        Path input = tmp.resolve("events.jsonl");
        List<String> lines = new ArrayList<>(EVENTS);
        new DemoDataGenerator(DemoDataGenerator.defaults())
                .lines(EVENTS)
                .forEachRemaining(lines::add);
        Files.write(input, lines);

        Run first = run("first", input, false);
        Run second = run("second", input, false);
        Run restored = run("restored", input, true);

        assertThat(FailOnceAfterCheckpoint.failed("determinism")).isTrue();
        assertThat(FailOnceAfterCheckpoint.checkpointsBeforeFailure("determinism")).isPositive();
        assertThat(first.decisions).hasSizeGreaterThan(100);
        assertThat(first.bodies).hasSizeGreaterThan(20);
        assertSameRows("decisions of the second run", first.decisions, second.decisions);
        assertSameRows("bodies sent by the second run", first.bodies, second.bodies);
        assertSameRows("decisions of the restored run", first.decisions, restored.decisions);
        assertSameRows("bodies sent by the restored run", first.bodies, restored.bodies);
    }

    /** Equal as multisets; on a difference, names a few rows found on one side only. */
    private static void assertSameRows(String what, List<String> expected, List<String> actual) {
        List<String> missing = TableRows.minus(expected, actual);
        List<String> extra = TableRows.minus(actual, expected);
        assertThat(missing)
                .as(
                        "%s: %d rows of the first run are missing and %d are new;%n"
                                + "missing: %s%nnew: %s",
                        what,
                        missing.size(),
                        extra.size(),
                        missing.stream().limit(2).toList(),
                        extra.stream().limit(2).toList())
                .isEmpty();
        assertThat(extra).as("%s: rows the first run does not have", what).isEmpty();
    }

    /** The decisions rows, sorted, and every trigger body received by webhook id. */
    private record Run(List<String> decisions, List<String> bodies) {}

    private Run run(String name, Path input, boolean failPartWay) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path secretFile = dir.resolve("endpoint-secret");
        Files.writeString(secretFile, SECRET);
        Path received = dir.resolve("deliveries.jsonl");
        Path warehouse = dir.resolve("warehouse");
        try (DemoEndpoint endpoint = DemoEndpoint.start(SECRET, received)) {
            Path endpoints = dir.resolve("endpoints.yaml");
            Files.writeString(
                    endpoints,
                    "endpoints:\n  esp:\n    url: "
                            + endpoint.url()
                            + "\n    secret-file: "
                            + secretFile
                            + "\n    timeout: 5s\n");
            Configuration conf =
                    TestConfig.of(
                            "parallelism.default=2",
                            "personalize.checkpoint.interval=500 ms",
                            "personalize.restart.attempts=" + (failPartWay ? 1 : 0),
                            "personalize.identity.stitching=true",
                            "personalize.restart.delay=100 ms",
                            "personalize.delivery.endpoints=" + endpoints,
                            "execution.checkpointing.dir=" + dir.resolve("checkpoints").toUri());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            DataStream<RawRecord> records =
                    env.fromSource(
                                    FileInputs.source(
                                            input, null, EnvelopeParser.DEFAULT_MAX_BYTES),
                                    WatermarkStrategy.noWatermarks(),
                                    "Files: events.jsonl")
                            .uid(Operators.SOURCE_UID + FileInputs.INPUT_ID);
            if (failPartWay) {
                records =
                        records.map(
                                        new FailOnceAfterCheckpoint<RawRecord>(
                                                "determinism", EVENTS / 3, 20))
                                .returns(RawRecord.class)
                                .uid("inject-failure")
                                .name("Inject one failure");
            }
            CatalogSettings catalog = CatalogSettings.localSqlite(warehouse, "personalize");
            JobSettings settings = JobSettings.from(conf, EnvelopeLines.SECRET);
            PersonalizationPipeline.build(
                    List.of(
                            new PipelineInput(
                                    FileInputs.INPUT_ID, records, InputFormat.ENVELOPE, "events")),
                    new IcebergPipelineSinks(catalog, settings),
                    settings);
            env.execute("determinism " + name);
        }
        // read once the endpoint has closed its log
        return new Run(
                decisions(CatalogSettings.localSqlite(warehouse, "personalize")), bodies(received));
    }

    private static List<String> decisions(CatalogSettings catalog) {
        Table table =
                catalog.catalogLoader()
                        .loadCatalog()
                        .loadTable(Tables.DECISIONS.identifier(catalog.icebergNamespace()));
        List<String> rows = new ArrayList<>();
        for (Record r : TableReader.readAll(table)) {
            StringBuilder row = new StringBuilder();
            for (Types.NestedField field : table.schema().columns()) {
                if (!field.name().equals("processed_at")) {
                    row.append(field.name())
                            .append('=')
                            .append(r.getField(field.name()))
                            .append(' ');
                }
            }
            rows.add(row.toString());
        }
        rows.sort(null);
        return rows;
    }

    /** Each distinct body received, after its webhook id, sorted. */
    private static List<String> bodies(Path received) throws Exception {
        ObjectMapper json = new ObjectMapper();
        TreeSet<String> bodies = new TreeSet<>();
        for (String line : Files.readAllLines(received)) {
            JsonNode request = json.readTree(line);
            bodies.add(request.get("webhook_id").asText() + " " + request.get("trigger"));
        }
        return new ArrayList<>(bodies);
    }
}
