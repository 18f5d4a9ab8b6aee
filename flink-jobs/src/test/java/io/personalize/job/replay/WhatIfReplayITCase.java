package io.personalize.job.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.generator.DemoDataGenerator;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.job.report.WhatIfReportFiles;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A what-if replay of a demo's history with raised thresholds (churn_save's churn risk above 0.9
 * instead of 0.7, loyalty_appreciation's orders in 30 days above 3 instead of 2) reports what two
 * full runs of the job on that history decide: the live run with the bundled flows, and a second
 * one with the changed flows. Counts per flow and outcome and the customers who newly get or no
 * longer get a flow are compared with those two runs' {@code decisions_latest} tables.
 */
class WhatIfReplayITCase {
    private static final int EVENTS = 15_000;
    private static final String SECRET = "what-if-replay-secret";

    @TempDir Path tmp;

    @Test
    void reportedDifferenceEqualsWhatASecondFullRunWithTheNewFlowsDecides() throws Exception {
        Path input = tmp.resolve("events.jsonl");
        new DemoDataGenerator(DemoDataGenerator.defaults().withSeed(11)).writeTo(input, EVENTS);
        Path newFlows = tmp.resolve("new-flows.yaml");
        Files.writeString(newFlows, raisedThresholds(FlowDefinitions.defaultsText()));
        // and a segment changed: frequent buyers need a fifth order in 30 days
        Path newSegments = tmp.resolve("new-segments.yaml");
        String frequent = "rule: orders_30d > 3";
        assertThat(SegmentDefinitions.defaultsText()).contains(frequent);
        Files.writeString(
                newSegments,
                SegmentDefinitions.defaultsText().replace(frequent, "rule: orders_30d > 4"));

        Path live = demo("live", input, List.of());
        Path second =
                demo(
                        "second",
                        input,
                        List.of(
                                "personalize.flows.definitions=" + newFlows,
                                "personalize.segments.definitions=" + newSegments));
        Map<String, Long> liveCounts = counts(decisions(live));
        Path report = tmp.resolve("report");
        Path summary =
                WhatIfReplay.run(
                        conf(List.of()),
                        SECRET,
                        new WhatIfRunner.Request(
                                CatalogSettings.localSqlite(live, "personalize"),
                                "whatif",
                                newFlows,
                                newSegments,
                                null,
                                null,
                                report.resolve("work")),
                        report,
                        quiet());

        assertThat(counts(decisions(live))).as("live tables untouched").isEqualTo(liveCounts);
        Map<String, Long> secondCounts = counts(decisions(second));
        Map<String, Long> difference = new TreeMap<>();
        liveCounts.forEach((k, n) -> difference.merge(k, -n, Long::sum));
        secondCounts.forEach((k, n) -> difference.merge(k, n, Long::sum));
        difference.values().removeIf(n -> n == 0);
        assertThat(difference).as("the changed flows change some decisions").isNotEmpty();

        List<String[]> countRows = csv(report.resolve(WhatIfReportFiles.COUNTS_CSV));
        Map<String, Long> reportedDifference = new TreeMap<>();
        for (String[] row : countRows) {
            if (Long.parseLong(row[4]) != 0) {
                reportedDifference.put(row[0] + "/" + row[1], Long.parseLong(row[4]));
            }
        }
        assertThat(reportedDifference).isEqualTo(difference);

        Set<String> expectedChanges = new TreeSet<>();
        Set<String> sentLive = sent(decisions(live));
        Set<String> sentSecond = sent(decisions(second));
        sentSecond.stream()
                .filter(s -> !sentLive.contains(s))
                .forEach(s -> expectedChanges.add(s + " newly"));
        sentLive.stream()
                .filter(s -> !sentSecond.contains(s))
                .forEach(s -> expectedChanges.add(s + " no_longer"));
        Set<String> reportedChanges = new TreeSet<>();
        for (String[] row : csv(report.resolve(WhatIfReportFiles.CUSTOMERS_CSV))) {
            reportedChanges.add(row[0] + "/" + row[2] + " " + row[1]);
            assertThat(row).hasSize(8);
            assertThat(row[1].equals("newly") ? row[4] : row[6])
                    .as("what the run without the email decided for %s", row[2])
                    .isNotEqualTo("to_send");
        }
        assertThat(expectedChanges).as("some customers gain or lose a flow").isNotEmpty();
        assertThat(reportedChanges).isEqualTo(expectedChanges);

        // the changed segment's size per day: only it is reported, and its size at the end of
        // the last day is the members each full run ends with
        List<String[]> sizes = csv(report.resolve(WhatIfReportFiles.SEGMENTS_CSV));
        assertThat(sizes)
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row[0]).isEqualTo("frequent_buyers"));
        String[] lastDay = sizes.get(sizes.size() - 1);
        assertThat(Long.parseLong(lastDay[2])).isEqualTo(members(live, "frequent_buyers"));
        assertThat(Long.parseLong(lastDay[3])).isEqualTo(members(second, "frequent_buyers"));
        assertThat(members(second, "frequent_buyers"))
                .as("the raised threshold leaves fewer members")
                .isLessThan(members(live, "frequent_buyers"));

        assertThat(summary).exists();
        assertThat(Files.readString(summary)).contains("churn_save", "decisions_by_flow.png");
        assertThat(report.resolve(WhatIfReportFiles.CHART_PNG)).isNotEmptyFile();
    }

    private static String raisedThresholds(String flows) {
        String churn = "score('churn_risk') > 0.7";
        String loyalty = "orders_30d > 2";
        assertThat(flows).contains(churn, loyalty);
        return flows.replace(churn, "score('churn_risk') > 0.9").replace(loyalty, "orders_30d > 3");
    }

    /** Runs the demo job on {@code input}; returns its warehouse. */
    private Path demo(String name, Path input, List<String> sets) throws Exception {
        new DemoRunner(quiet(), SECRET)
                .run(
                        new DemoRunner.Options(
                                tmp.resolve(name), EVENTS, 11, input, InputFormat.ENVELOPE, false),
                        conf(sets));
        return tmp.resolve(name).resolve("warehouse");
    }

    private static Configuration conf(List<String> extra) {
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                "personalize.checkpoint.interval=1 s",
                                "parallelism.default=2",
                                "personalize.restart.attempts=0"));
        sets.addAll(extra);
        return ConfigLoader.load(null, Map.of(), sets);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static List<Record> decisions(Path warehouse) {
        CatalogSettings catalog = CatalogSettings.localSqlite(warehouse, "personalize");
        return catalog.withCatalog(
                c ->
                        TableReader.readAll(
                                c.loadTable(
                                        Tables.DECISIONS_LATEST.identifier(
                                                catalog.icebergNamespace())),
                                "flow_id",
                                "outcome",
                                "customer_key"));
    }

    /** Members of a segment at the end of a run: customers whose latest change entered it. */
    private static long members(Path warehouse, String segment) {
        CatalogSettings catalog = CatalogSettings.localSqlite(warehouse, "personalize");
        Map<String, Record> latest = new TreeMap<>();
        for (Record r :
                catalog.withCatalog(
                        c ->
                                TableReader.readAll(
                                        c.loadTable(
                                                Tables.SEGMENT_CHANGES.identifier(
                                                        catalog.icebergNamespace())),
                                        "segment_id",
                                        "customer_key",
                                        "change",
                                        "event_time"))) {
            if (!segment.equals(r.getField("segment_id"))) {
                continue;
            }
            latest.merge(
                    (String) r.getField("customer_key"),
                    r,
                    (a, b) ->
                            ((java.time.OffsetDateTime) b.getField("event_time"))
                                            .isAfter(
                                                    (java.time.OffsetDateTime)
                                                            a.getField("event_time"))
                                    ? b
                                    : a);
        }
        return latest.values().stream().filter(r -> "entered".equals(r.getField("change"))).count();
    }

    private static Map<String, Long> counts(List<Record> decisions) {
        Map<String, Long> counts = new TreeMap<>();
        for (Record r : decisions) {
            counts.merge(r.getField("flow_id") + "/" + r.getField("outcome"), 1L, Long::sum);
        }
        return counts;
    }

    /** flow/customer of every customer with a to_send decision of that flow. */
    private static Set<String> sent(List<Record> decisions) {
        Set<String> sent = new TreeSet<>();
        for (Record r : decisions) {
            if ("to_send".equals(r.getField("outcome"))) {
                sent.add(r.getField("flow_id") + "/" + r.getField("customer_key"));
            }
        }
        return sent;
    }

    /** The rows after the header; the fields of these files hold no commas but in the reasons. */
    private static List<String[]> csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
        }
        return rows;
    }
}
