package io.personalize.job.report;

import io.personalize.job.report.WhatIfReport.Change;
import io.personalize.job.report.WhatIfReport.CustomerChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.ChartTheme;

/**
 * Writes a {@link WhatIfReport} into a folder: {@code decisions_by_flow_outcome.csv}, {@code
 * customers_changed.csv}, {@code segment_sizes.csv}, {@code decisions_by_flow.png} and {@code
 * summary.html}, which shows the rest on one page.
 */
public final class WhatIfReportFiles {
    public static final String COUNTS_CSV = "decisions_by_flow_outcome.csv";
    public static final String CUSTOMERS_CSV = "customers_changed.csv";
    public static final String SEGMENTS_CSV = "segment_sizes.csv";
    public static final String CHART_PNG = "decisions_by_flow.png";
    public static final String SUMMARY_HTML = "summary.html";

    private WhatIfReportFiles() {}

    /** Writes every file into {@code dir} (created when missing); returns the summary page. */
    public static Path write(WhatIfReport report, String title, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(COUNTS_CSV), countLines(report));
        Files.write(dir.resolve(CUSTOMERS_CSV), customerLines(report));
        Files.write(dir.resolve(SEGMENTS_CSV), segmentLines(report));
        writeChart(report, dir.resolve(CHART_PNG));
        Path html = dir.resolve(SUMMARY_HTML);
        Files.writeString(html, html(report, title));
        return html;
    }

    private static List<String> countLines(WhatIfReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("flow_id,outcome,current,proposed,difference");
        report.countsByFlowAndOutcome()
                .forEach(
                        (flow, outcomes) ->
                                outcomes.forEach(
                                        (outcome, n) ->
                                                lines.add(
                                                        csv(flow)
                                                                + ","
                                                                + csv(outcome)
                                                                + ","
                                                                + n[0]
                                                                + ","
                                                                + n[1]
                                                                + ","
                                                                + (n[1] - n[0]))));
        return lines;
    }

    private static List<String> customerLines(WhatIfReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "flow_id,change,customer_key,customer_id,current_outcome,current_reasons,"
                        + "proposed_outcome,proposed_reasons");
        for (CustomerChange c : report.customerChanges()) {
            lines.add(
                    String.join(
                            ",",
                            csv(c.flowId()),
                            c.change().label(),
                            csv(c.customerKey()),
                            csv(c.customerId()),
                            csv(c.currentOutcome()),
                            csv(c.currentReasons()),
                            csv(c.proposedOutcome()),
                            csv(c.proposedReasons())));
        }
        return lines;
    }

    /** Members at the end of each day with a change; a run without a change that day carries on. */
    private static List<String> segmentLines(WhatIfReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("segment_id,day,current_members,proposed_members");
        report.segmentMembersPerDay()
                .forEach(
                        (segment, days) -> {
                            long[] last = {0, 0};
                            for (Map.Entry<LocalDate, long[]> day : days.entrySet()) {
                                for (int run = 0; run < 2; run++) {
                                    if (day.getValue()[run] >= 0) {
                                        last[run] = day.getValue()[run];
                                    }
                                }
                                lines.add(
                                        csv(segment)
                                                + ","
                                                + day.getKey()
                                                + ","
                                                + last[0]
                                                + ","
                                                + last[1]);
                            }
                        });
        return lines;
    }

    /** Emails handed to delivery ({@code to_send}) per flow, current next to proposed. */
    private static void writeChart(WhatIfReport report, Path file) throws IOException {
        Map<String, long[]> sent = sentByFlow(report);
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(Math.max(900, 120 * sent.size()))
                        .height(520)
                        .title("Emails per flow (to_send): current vs proposed definitions")
                        .xAxisTitle("flow")
                        .yAxisTitle("decisions to send")
                        .theme(ChartTheme.Matlab)
                        .build();
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisMin(0.0);
        List<String> flows = new ArrayList<>(sent.keySet());
        List<Long> current = new ArrayList<>();
        List<Long> proposed = new ArrayList<>();
        for (long[] n : sent.values()) {
            current.add(n[0]);
            proposed.add(n[1]);
        }
        if (flows.isEmpty()) {
            flows.add("no decisions");
            current.add(0L);
            proposed.add(0L);
        }
        chart.addSeries("current", flows, current);
        chart.addSeries("proposed", flows, proposed);
        String name = file.toString();
        BitmapEncoder.saveBitmap(
                chart, name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
    }

    private static Map<String, long[]> sentByFlow(WhatIfReport report) {
        Map<String, long[]> sent = new TreeMap<>();
        report.countsByFlowAndOutcome()
                .forEach(
                        (flow, outcomes) ->
                                sent.put(
                                        flow,
                                        outcomes.getOrDefault(WhatIfReport.SENT, new long[2])));
        return sent;
    }

    private static String html(WhatIfReport report, String title) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em}")
                .append(
                        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}")
                .append("td.n{text-align:right}</style></head><body><h1>")
                .append(esc(title))
                .append("</h1><p>")
                .append(report.events())
                .append(" events replayed twice through the job, nothing sent.</p>")
                .append("<h2>Decisions per flow and outcome</h2><table><tr><th>flow</th>")
                .append(
                        "<th>outcome</th><th>current</th><th>proposed</th><th>difference</th></tr>");
        report.countsByFlowAndOutcome()
                .forEach(
                        (flow, outcomes) ->
                                outcomes.forEach(
                                        (outcome, n) ->
                                                h.append("<tr><td>")
                                                        .append(esc(flow))
                                                        .append("</td><td>")
                                                        .append(esc(outcome))
                                                        .append("</td><td class=n>")
                                                        .append(n[0])
                                                        .append("</td><td class=n>")
                                                        .append(n[1])
                                                        .append("</td><td class=n>")
                                                        .append(String.format("%+d", n[1] - n[0]))
                                                        .append("</td></tr>")));
        h.append("</table><p><img src=\"").append(CHART_PNG).append("\" width=\"900\"></p>");
        h.append("<h2>Customers who would newly get or no longer get a flow</h2><table>")
                .append("<tr><th>flow</th><th>newly</th><th>no longer</th></tr>");
        Map<String, Set<String>> newly = report.customers(Change.NEWLY);
        Map<String, Set<String>> noLonger = report.customers(Change.NO_LONGER);
        Set<String> flows = new TreeSet<>(newly.keySet());
        flows.addAll(noLonger.keySet());
        for (String flow : flows) {
            h.append("<tr><td>")
                    .append(esc(flow))
                    .append("</td><td class=n>")
                    .append(newly.getOrDefault(flow, Set.of()).size())
                    .append("</td><td class=n>")
                    .append(noLonger.getOrDefault(flow, Set.of()).size())
                    .append("</td></tr>");
        }
        h.append("</table><p>Who, with each run's outcome and reasons: <a href=\"")
                .append(CUSTOMERS_CSV)
                .append("\">")
                .append(CUSTOMERS_CSV)
                .append("</a>.</p><h2>Changed segments</h2>");
        if (report.segmentMembersPerDay().isEmpty()) {
            h.append("<p>No segment definition changed.</p>");
        } else {
            h.append("<p>Members per day: <a href=\"")
                    .append(SEGMENTS_CSV)
                    .append("\">")
                    .append(SEGMENTS_CSV)
                    .append("</a>.</p><ul>");
            for (String segment : report.segmentMembersPerDay().keySet()) {
                h.append("<li>").append(esc(segment)).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("<p>Counts per flow and outcome: <a href=\"")
                .append(COUNTS_CSV)
                .append("\">")
                .append(COUNTS_CSV)
                .append("</a>.</p></body></html>\n");
        return h.toString();
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private static String esc(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
