package io.personalize.job.report;

import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Outcome;
import io.personalize.job.demo.TableStatusReader;
import io.personalize.job.report.ExperimentStats.DecisionOutcome;
import io.personalize.job.report.ExperimentStats.Line;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.DeliveryTables;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * The experiment report: reads the {@code decisions} and {@code conversions} tables, and gives per
 * flow and variant the decisions sent or held out, conversions (a purchase attributed within the
 * window), conversion rate, revenue, opens and clicks, and the uplift over the flow's holdout with
 * its 95 % interval. Printed as a table, written as {@code experiments.csv} and charted in {@code
 * experiments.png}.
 */
public final class ExperimentReport {
    private final List<Line> lines;

    private ExperimentReport(List<Line> lines) {
        this.lines = lines;
    }

    public List<Line> lines() {
        return lines;
    }

    public static ExperimentReport read(CatalogSettings catalog) {
        return catalog.withCatalog(
                loaded -> {
                    Table decisions =
                            loaded.loadTable(
                                    Tables.DECISIONS.identifier(catalog.icebergNamespace()));
                    Table conversions =
                            loaded.loadTable(
                                    DeliveryTables.CONVERSIONS.identifier(
                                            catalog.icebergNamespace()));
                    return new ExperimentReport(
                            ExperimentStats.lines(outcomes(decisions, conversions)));
                });
    }

    private static List<DecisionOutcome> outcomes(Table decisions, Table conversions) {
        Map<String, double[]> byDecision = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Record c :
                TableReader.readAll(
                        conversions, "conversion_id", "decision_id", "kind", "revenue")) {
            if (!seen.add((String) c.getField("conversion_id"))) {
                continue; // written twice after a restore
            }
            double[] sums =
                    byDecision.computeIfAbsent(
                            (String) c.getField("decision_id"), d -> new double[4]);
            switch ((String) c.getField("kind")) {
                case Conversion.PURCHASE -> {
                    sums[0] = 1;
                    Object revenue = c.getField("revenue");
                    sums[1] += revenue == null ? 0 : ((Number) revenue).doubleValue();
                }
                case Conversion.OPEN -> sums[2]++;
                case Conversion.CLICK -> sums[3]++;
                default -> {}
            }
        }
        List<DecisionOutcome> outcomes = new ArrayList<>();
        for (Record d : TableStatusReader.latestDecisions(decisions).values()) {
            String outcome = (String) d.getField("outcome");
            if (!Outcome.TO_SEND.code().equals(outcome)
                    && !Outcome.HELD_OUT.code().equals(outcome)) {
                continue;
            }
            double[] sums =
                    byDecision.getOrDefault((String) d.getField("decision_id"), new double[4]);
            outcomes.add(
                    new DecisionOutcome(
                            (String) d.getField("flow_id"),
                            (String) d.getField("variant"),
                            sums[0] > 0,
                            sums[1],
                            (int) sums[2],
                            (int) sums[3]));
        }
        return outcomes;
    }

    public void print(PrintStream out) {
        out.printf(
                "%-22s %-18s %9s %9s %8s %12s %7s %7s  %s%n",
                "flow",
                "variant",
                "decisions",
                "converted",
                "rate",
                "revenue",
                "opens",
                "clicks",
                "uplift vs holdout (95% interval)");
        for (Line l : lines) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %-18s %,9d %,9d %7.2f%% %,12.2f %,7d %,7d  %s%n",
                    l.flowId(),
                    l.variant(),
                    l.decisions(),
                    l.conversions(),
                    100 * l.conversionRate(),
                    l.revenue(),
                    l.opens(),
                    l.clicks(),
                    describe(l.uplift()));
        }
    }

    private static String describe(ExperimentStats.Uplift u) {
        if (u == null) {
            return "—";
        }
        return String.format(
                Locale.ROOT,
                "%+.2f pp [%+.2f, %+.2f]%s%s",
                100 * u.difference(),
                100 * u.low(),
                100 * u.high(),
                u.relative() == null
                        ? ""
                        : String.format(Locale.ROOT, " (%+.0f%%)", 100 * u.relative()),
                u.significant() ? " significant" : "");
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder csv =
                new StringBuilder(
                        "flow_id,variant,decisions,conversions,conversion_rate,revenue,"
                                + "revenue_per_decision,opens,clicks,uplift,uplift_low,uplift_high,"
                                + "relative_uplift\n");
        for (Line l : lines) {
            ExperimentStats.Uplift u = l.uplift();
            csv.append(
                    String.join(
                            ",",
                            l.flowId(),
                            l.variant(),
                            Long.toString(l.decisions()),
                            Long.toString(l.conversions()),
                            Double.toString(l.conversionRate()),
                            Double.toString(l.revenue()),
                            Double.toString(l.revenuePerDecision()),
                            Long.toString(l.opens()),
                            Long.toString(l.clicks()),
                            u == null ? "" : Double.toString(u.difference()),
                            u == null ? "" : Double.toString(u.low()),
                            u == null ? "" : Double.toString(u.high()),
                            u == null || u.relative() == null
                                    ? ""
                                    : Double.toString(u.relative())));
            csv.append('\n');
        }
        Files.writeString(file, csv);
    }
}
