package io.personalize.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.EnvelopeLines;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.demo.DemoRunner;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same events give the same features live (streaming, as the demo runs) and replayed from the
 * events table in batch mode, with identity stitching on: the replay sorts each key's input by
 * time, so the visitors' events restated at a login and the marker after them come in another order
 * than live, and anonymous events are merged by event time in both.
 */
class ReplayParityITCase {
    @TempDir Path tmp;

    @Test
    void streamingAndBatchReplayWriteIdenticalFeatureRows() throws Exception {
        Configuration conf =
                ConfigLoader.load(
                        null,
                        Map.of(),
                        List.of(
                                "personalize.checkpoint.interval=1 s",
                                "parallelism.default=2",
                                "personalize.identity.stitching=true"));
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 15_000, 11, null, InputFormat.ENVELOPE, false),
                        conf);
        CatalogSettings live =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        CatalogSettings replayed =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "replayed");

        ReplayRunner.Result result =
                ReplayRunner.fromEventsTable(
                        conf,
                        JobSettings.from(ConfigLoader.withJobDefaults(conf), EnvelopeLines.SECRET),
                        live,
                        replayed);

        assertThat(result.endOfTime()).isNotNull();
        Map<String, Map<String, Object>> liveRows = rows(live);
        Map<String, Map<String, Object>> replayedRows = rows(replayed);
        assertThat(liveRows).hasSizeGreaterThan(100);
        assertThat(replayedRows.keySet()).isEqualTo(liveRows.keySet());
        for (String key : liveRows.keySet()) {
            assertThat(replayedRows.get(key)).as(key).isEqualTo(liveRows.get(key));
        }
    }

    /** Every column but computed_at (processing time), doubles rounded to 9 decimals. */
    private static Map<String, Map<String, Object>> rows(CatalogSettings catalog) {
        Map<String, Map<String, Object>> byKey = new TreeMap<>();
        List<Record> records =
                catalog.withCatalog(
                        c ->
                                TableReader.readAll(
                                        c.loadTable(
                                                Tables.CUSTOMER_FEATURES.identifier(
                                                        catalog.icebergNamespace()))));
        for (Record record : records) {
            Map<String, Object> values = new TreeMap<>();
            for (Types.NestedField field : Tables.CUSTOMER_FEATURES.schema().columns()) {
                if (!field.name().equals("computed_at")) {
                    values.put(field.name(), rounded(record.getField(field.name())));
                }
            }
            byKey.put((String) record.getField("customer_key"), values);
        }
        return byKey;
    }

    private static Object rounded(Object value) {
        if (value instanceof Double d) {
            return Math.round(d * 1e9) / 1e9;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(k, rounded(v)));
            return copy;
        }
        return value;
    }
}
