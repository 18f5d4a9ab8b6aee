package io.personalize.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard queries metrics the job registers, under the names Flink's Prometheus
 * reporter gives them: {@code flink_<scope>_personalize_<keys of key/value groups>_<metric>}, where
 * {@code addGroup("personalize")} is part of the name, {@code addGroup("flow", id)} adds {@code
 * flow} to the name and a {@code flow} label, and the metric's own name comes last.
 */
class DashboardTest {
    private static final String OPERATOR_SCOPE = "flink_taskmanager_job_task_operator_";
    private static final String JOB_PREFIX = OPERATOR_SCOPE + "personalize_";

    /** Metrics of Flink and Iceberg the dashboard reads, with where their names come from. */
    private static final Set<String> SYSTEM_METRICS =
            Set.of(
                    // Flink's job manager, job scope: checkpointing and availability metrics.
                    "flink_jobmanager_job_lastCheckpointDuration",
                    "flink_jobmanager_job_numberOfFailedCheckpoints",
                    "flink_jobmanager_job_numberOfCompletedCheckpoints",
                    "flink_jobmanager_job_numRestarts",
                    // Flink's task scope: back-pressure (FLIP-27 tasks report it per second).
                    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                    // FLIP-33's standard source metric, which the Kafka source reports per
                    // reader: records in the topic not yet read (the consumer lag).
                    OPERATOR_SCOPE + "pendingRecords",
                    // Iceberg 1.11 IcebergSink committer: IcebergFilesCommitterMetrics registers
                    // addGroup("IcebergFilesCommitter").addGroup("table", name)
                    // .gauge("elapsedSecondsSinceLastSuccessfulCommit") on the committer's group.
                    OPERATOR_SCOPE
                            + "IcebergFilesCommitter_table_elapsedSecondsSinceLastSuccessfulCommit");

    /**
     * Delivery and conversion metrics (issue 9) being added in parallel: group {@code personalize},
     * key/value groups {@code endpoint} and {@code kind}. Remove once the job registers them.
     */
    private static JsonNode dashboard;

    private static Set<String> metricNames;
    private static Set<String> groupKeys;

    @BeforeAll
    static void readDashboardAndSources() throws IOException {
        dashboard =
                new ObjectMapper()
                        .readTree(Helm.chart().resolve("dashboards/personalize.json").toFile());
        metricNames = new HashSet<>();
        groupKeys = new HashSet<>();
        registeredInSources(
                Helm.repositoryRoot().resolve("flink-jobs/src/main/java"), metricNames, groupKeys);
    }

    @Test
    void everyPanelHasAQuery() {
        List<JsonNode> panels = panels();

        assertThat(panels).hasSizeGreaterThanOrEqualTo(15);
        assertThat(panels)
                .allSatisfy(
                        panel -> {
                            assertThat(panel.path("targets").size())
                                    .as("targets of '%s'", panel.path("title").asText())
                                    .isPositive();
                            panel.path("targets")
                                    .forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
                        });
    }

    @Test
    void everyQueriedMetricIsOneTheJobOrFlinkRegisters() {
        Set<String> queried = queriedMetrics();

        assertThat(queried).isNotEmpty();
        assertThat(queried)
                .allSatisfy(
                        metric ->
                                assertThat(SYSTEM_METRICS.contains(metric) || isJobMetric(metric))
                                        .as(
                                                "%s is registered in flink-jobs/src/main/java (group"
                                                        + " personalize) or a known Flink/Iceberg metric",
                                                metric)
                                        .isTrue());
    }

    @Test
    void dashboardCoversWhatOperatorsWatch() {
        Set<String> queried = queriedMetrics();

        assertThat(queried)
                .contains(
                        JOB_PREFIX + "event_type_events",
                        JOB_PREFIX + "reason_dead_letters",
                        JOB_PREFIX + "segment_segment_members",
                        JOB_PREFIX + "segment_segment_entered",
                        JOB_PREFIX + "status_cart_lifecycle",
                        JOB_PREFIX + "scoring_seconds_per_customer",
                        JOB_PREFIX + "flow_outcome_decisions",
                        JOB_PREFIX + "endpoint_deliveries_delivered",
                        JOB_PREFIX + "endpoint_delivery_retries",
                        JOB_PREFIX + "kind_conversions",
                        "flink_jobmanager_job_lastCheckpointDuration",
                        "flink_jobmanager_job_numberOfFailedCheckpoints",
                        "flink_jobmanager_job_numRestarts",
                        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                        OPERATOR_SCOPE + "pendingRecords",
                        OPERATOR_SCOPE
                                + "IcebergFilesCommitter_table_elapsedSecondsSinceLastSuccessfulCommit");
    }

    @Test
    void aMisspelledMetricIsNotTakenForAJobMetric() {
        assertThat(isJobMetric(JOB_PREFIX + "flow_outcome_decisions")).isTrue();
        assertThat(isJobMetric(JOB_PREFIX + "flow_outcome_decision")).isFalse();
        assertThat(isJobMetric(JOB_PREFIX + "outcome_flow_typo_decisions")).isFalse();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static Set<String> queriedMetrics() {
        Pattern name = Pattern.compile("\\b(flink_[A-Za-z0-9_:]+)");
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = name.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    metrics.add(matcher.group(1));
                }
            }
        }
        return metrics;
    }

    /** {@code personalize_} followed by zero or more group keys and a registered metric name. */
    private static boolean isJobMetric(String metric) {
        if (!metric.startsWith(JOB_PREFIX)) {
            return false;
        }
        String rest = metric.substring(JOB_PREFIX.length());
        for (String name : metricNames) {
            if (rest.equals(name)) {
                return true;
            }
            if (rest.endsWith("_" + name)
                    && isKeySequence(rest.substring(0, rest.length() - name.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKeySequence(String prefix) {
        if (groupKeys.contains(prefix)) {
            return true;
        }
        for (String key : groupKeys) {
            if (prefix.startsWith(key + "_") && isKeySequence(prefix.substring(key.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Metric names ({@code counter/gauge/histogram/meter("name"} or a String constant) and the keys
     * of key/value groups ({@code addGroup("key", value)}) in the job's sources.
     */
    private static void registeredInSources(Path root, Set<String> names, Set<String> keys)
            throws IOException {
        Pattern constant = Pattern.compile("String\\s+([A-Z_]+)\\s*=\\s*\"([a-z0-9_]+)\"");
        Pattern metric =
                Pattern.compile(
                        "\\.(?:counter|gauge|histogram|meter)\\(\\s*(\"[a-z0-9_]+\"|[A-Z_]+)");
        Pattern keyValueGroup = Pattern.compile("addGroup\\(\\s*\"([a-z0-9_]+)\"\\s*,");
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(file));
            }
        }
        Map<String, String> constants = new HashMap<>();
        for (String source : sources) {
            Matcher matcher = constant.matcher(source);
            while (matcher.find()) {
                constants.put(matcher.group(1), matcher.group(2));
            }
        }
        for (String source : sources) {
            Matcher matcher = metric.matcher(source);
            while (matcher.find()) {
                String argument = matcher.group(1);
                String value =
                        argument.startsWith("\"")
                                ? argument.substring(1, argument.length() - 1)
                                : constants.get(argument);
                if (value != null) {
                    names.add(value);
                }
            }
            Matcher groups = keyValueGroup.matcher(source);
            while (groups.find()) {
                keys.add(groups.group(1));
            }
        }
    }
}
