package io.personalize.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart in {@code helm/personalize}, linted and rendered with its defaults and with {@code
 * ci/production-values.yaml}: what the Flink Kubernetes Operator needs from the FlinkDeployment,
 * and that everything the pods reference exists.
 *
 * <p>Secrets are never rendered: the user creates them. A Secret reference resolves when its name
 * is declared under {@code secrets} in the values (the chart only ever reads Secrets from there).
 */
class HelmChartTest {
    private static final String DEFAULTS = "";
    private static final String PRODUCTION = "ci/production-values.yaml";
    private static final String PROMETHEUS_FACTORY =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    /**
     * Options of issue 9 (Kafka, delivery) that are being added to PersonalizeOptions in parallel;
     * the chart already uses their agreed names. Remove each once PersonalizeOptions has it.
     */
    private static RenderedChart render(String valuesFile) {
        return RenderedChart.render(Helm.required(), valuesFile.isEmpty() ? null : valuesFile);
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void lintFindsNoProblem(String valuesFile) {
        Helm helm = Helm.required();
        List<String> args = new ArrayList<>(List.of("lint", "--strict", "."));
        if (!valuesFile.isEmpty()) {
            args.addAll(List.of("--values", valuesFile));
        }

        String output = helm.run(args.toArray(String[]::new));

        assertThat(output).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void rendersAFlinkDeploymentOfFlink21ForTheOperator(String valuesFile) {
        RenderedChart chart = render(valuesFile);

        JsonNode deployment = chart.only("FlinkDeployment");
        JsonNode spec = deployment.path("spec");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_1");
        assertThat(spec.path("image").asText())
                .isEqualTo(
                        chart.values().at("/image/repository").asText()
                                + ":"
                                + (chart.values().at("/image/tag").asText().isEmpty()
                                        ? chartYaml().path("appVersion").asText()
                                        : chart.values().at("/image/tag").asText()));
        assertThat(spec.at("/job/jarURI").asText())
                .isEqualTo("local:///opt/flink/usrlib/personalize.jar");
        assertThat(spec.at("/job/entryClass").asText())
                .isEqualTo("io.personalize.job.cli.PersonalizeCli");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/state").asText()).isEqualTo("running");
        assertThat(spec.at("/job/parallelism").asInt()).isPositive();
        assertThat(spec.at("/jobManager/resource/memory").asText()).isNotBlank();
        assertThat(spec.at("/taskManager/resource/memory").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void flinkConfigurationSetsCheckpointsHighAvailabilityAndThePrometheusReporter(
            String valuesFile) {
        RenderedChart chart = render(valuesFile);

        JsonNode flink = chart.only("FlinkDeployment").at("/spec/flinkConfiguration");
        assertThat(flink.path("execution.checkpointing.dir").asText())
                .isEqualTo(chart.values().at("/checkpoints/dir").asText())
                .matches("^[a-z0-9]+://.+");
        assertThat(flink.path("execution.checkpointing.savepoint-dir").asText())
                .matches("^[a-z0-9]+://.+");
        assertThat(flink.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(flink.path("high-availability.storageDir").asText()).matches("^[a-z0-9]+://.+");
        assertThat(flink.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo(PROMETHEUS_FACTORY);
        assertThat(flink.path("metrics.reporter.prom.port").asText()).isEqualTo("9249");
        // The operator's CRD takes flinkConfiguration as a map of strings.
        flink.properties().forEach(f -> assertThat(f.getValue().isTextual()).isTrue());
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void jobRunsWithTheConfigurationFileOfItsConfigMap(String valuesFile) {
        RenderedChart chart = render(valuesFile);

        List<String> args = new ArrayList<>();
        chart.only("FlinkDeployment").at("/spec/job/args").forEach(a -> args.add(a.asText()));
        assertThat(args.subList(0, 2)).containsExactly("run", "--config");
        MountedFile config = resolveMountedFile(chart, args.get(2));
        assertThat(config.configMapKey()).isEqualTo("job.yaml");
        JsonNode jobYaml = RenderedChart.parse(configMapData(chart, config).asText());
        // The job sets a local checkpoint folder by default; its file must name the cluster's.
        assertThat(jobYaml.path("execution.checkpointing.dir").asText())
                .isEqualTo(
                        chart.only("FlinkDeployment")
                                .at("/spec/flinkConfiguration")
                                .path("execution.checkpointing.dir")
                                .asText());
        assertThat(jobYaml.path("personalize.checkpoint.interval").asText())
                .isEqualTo(chart.values().at("/checkpoints/interval").asText());
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void everyConfigMapThePodsReferenceIsRendered(String valuesFile) {
        RenderedChart chart = render(valuesFile);

        Set<String> rendered = names(chart.ofKind("ConfigMap"));
        List<String> referenced = new ArrayList<>();
        for (JsonNode volume : chart.podSpec().path("volumes")) {
            if (volume.has("configMap")) {
                referenced.add(volume.at("/configMap/name").asText());
            }
        }
        collectRefs(chart.flinkContainer(), "configMapRef", "configMapKeyRef", referenced);

        assertThat(referenced).isNotEmpty();
        assertThat(rendered).containsAll(referenced);
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void everySecretThePodsReferenceIsDeclaredInTheValues(String valuesFile) {
        RenderedChart chart = render(valuesFile);

        Set<String> declared = new TreeSet<>(names(chart.ofKind("Secret")));
        collectNames(chart.values().path("secrets"), declared);
        List<String> referenced = new ArrayList<>();
        for (JsonNode volume : chart.podSpec().path("volumes")) {
            if (volume.has("secret")) {
                referenced.add(volume.at("/secret/secretName").asText());
            }
        }
        collectRefs(chart.flinkContainer(), "secretRef", "secretKeyRef", referenced);

        assertThat(referenced)
                .as("the hashing secret is always read")
                .contains(chart.values().at("/secrets/hash/name").asText());
        assertThat(declared).containsAll(referenced);
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void everyFileTheJobConfigurationNamesIsMounted(String valuesFile) {
        RenderedChart chart = render(valuesFile);

        JsonNode jobYaml = jobYaml(chart);
        List<String> paths = new ArrayList<>();
        jobYaml.properties()
                .forEach(
                        f -> {
                            if (f.getValue().asText().startsWith("/opt/personalize/")) {
                                paths.add(f.getValue().asText());
                            }
                        });

        for (String path : paths) {
            MountedFile file = resolveMountedFile(chart, path);
            if (file.configMapKey() != null) {
                assertThat(configMapData(chart, file).isTextual())
                        .as("%s is a key of ConfigMap %s", file.configMapKey(), file.source())
                        .isTrue();
            }
        }
        if (valuesFile.equals(PRODUCTION)) {
            assertThat(paths)
                    .as(
                            "definitions, endpoints, models, Kafka client properties and the"
                                    + " state folder")
                    .hasSize(6);
        }
    }

    @Test
    void endpointSigningSecretsReachTheContainerAsTheVariablesTheEndpointsName() {
        RenderedChart chart = render(PRODUCTION);

        MountedFile endpointsFile =
                resolveMountedFile(
                        chart, jobYaml(chart).path("personalize.delivery.endpoints").asText());
        JsonNode endpoints = RenderedChart.parse(configMapData(chart, endpointsFile).asText());
        Set<String> env = new HashSet<>();
        chart.flinkContainer().path("env").forEach(e -> env.add(e.path("name").asText()));

        List<String> secretEnvs = new ArrayList<>();
        endpoints.path("endpoints").forEach(e -> secretEnvs.add(e.path("secret-env").asText()));
        assertThat(secretEnvs)
                .containsExactlyInAnyOrder("PERSONALIZE_SECRET_ESP", "PERSONALIZE_SECRET_CRM");
        assertThat(env).containsAll(secretEnvs).contains("PERSONALIZE_HASH_SECRET");
    }

    @ParameterizedTest(name = "values: {0}")
    @ValueSource(strings = {DEFAULTS, PRODUCTION})
    void jobConfigurationUsesOnlyOptionsTheJobKnows(String valuesFile) throws IOException {
        RenderedChart chart = render(valuesFile);
        Set<String> known = new HashSet<>(jobOptions());

        List<String> own = new ArrayList<>();
        jobYaml(chart).fieldNames().forEachRemaining(own::add);

        assertThat(own.stream().filter(k -> k.startsWith("personalize.")).toList())
                .isNotEmpty()
                .allSatisfy(key -> assertThat(known).as("known options").contains(key));
    }

    @Test
    void podMonitorScrapesTheReporterPortOfThePodsItSelects() {
        RenderedChart chart = render(PRODUCTION);

        JsonNode monitor = chart.only("PodMonitor");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText())
                .isEqualTo("kube-prometheus-stack");
        JsonNode podLabels = chart.only("FlinkDeployment").at("/spec/podTemplate/metadata/labels");
        monitor.at("/spec/selector/matchLabels")
                .properties()
                .forEach(
                        l ->
                                assertThat(podLabels.path(l.getKey()).asText())
                                        .isEqualTo(l.getValue().asText()));
        String port = monitor.at("/spec/podMetricsEndpoints/0/port").asText();
        JsonNode containerPort = null;
        for (JsonNode p : chart.flinkContainer().path("ports")) {
            if (port.equals(p.path("name").asText())) {
                containerPort = p;
            }
        }
        assertThat(containerPort).as("container port named %s", port).isNotNull();
        assertThat(containerPort.path("containerPort").asInt()).isEqualTo(9249);
    }

    @Test
    void defaultsRenderNeitherPodMonitorNorDashboard() {
        RenderedChart chart = render(DEFAULTS);

        assertThat(chart.ofKind("PodMonitor")).isEmpty();
        assertThat(chart.manifests())
                .noneMatch(m -> m.at("/metadata/labels/grafana_dashboard").isTextual());
    }

    @Test
    void dashboardConfigMapCarriesTheDashboardForGrafanasSidecar() throws IOException {
        RenderedChart chart = render(PRODUCTION);

        JsonNode dashboard =
                chart.ofKind("ConfigMap").stream()
                        .filter(
                                m ->
                                        "1"
                                                .equals(
                                                        m.at("/metadata/labels/grafana_dashboard")
                                                                .asText()))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no ConfigMap labelled grafana_dashboard"));

        assertThat(dashboard.at("/data/personalize.json").asText().strip())
                .isEqualTo(
                        Files.readString(Helm.chart().resolve("dashboards/personalize.json"))
                                .strip());
    }

    @Test
    void schemaRefusesAnUpgradeModeTheOperatorDoesNotKnow() {
        Helm.Result result =
                Helm.required()
                        .tryRun("template", "personalize", ".", "--set", "job.upgradeMode=rolling");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("/job/upgradeMode");
    }

    @Test
    void chartStatesTheOperatorVersionFlink21Needs() throws IOException {
        JsonNode chart = chartYaml();

        assertThat(chart.at("/annotations/flink.apache.org~1operator-min-version").asText())
                .isEqualTo("1.13.0");
        assertThat(chart.path("description").asText()).contains("1.13.0");
        assertThat(Files.readString(Helm.chart().resolve("values.yaml")))
                .contains("Flink Kubernetes Operator 1.13.0 or newer");
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** A file inside a pod: the volume it comes from and, for a ConfigMap, its key. */
    private record MountedFile(String source, String configMapKey) {}

    /**
     * Finds the volume mount holding {@code path} (a file in it, or the mounted folder itself) and
     * what backs it; fails when none does.
     */
    private static MountedFile resolveMountedFile(RenderedChart chart, String path) {
        for (JsonNode mount : chart.flinkContainer().path("volumeMounts")) {
            String mountPath = mount.path("mountPath").asText();
            if (!path.equals(mountPath) && !path.startsWith(mountPath + "/")) {
                continue;
            }
            String relative = path.substring(Math.min(path.length(), mountPath.length() + 1));
            for (JsonNode volume : chart.podSpec().path("volumes")) {
                if (!volume.path("name").asText().equals(mount.path("name").asText())) {
                    continue;
                }
                if (volume.has("configMap")) {
                    return new MountedFile(volume.at("/configMap/name").asText(), relative);
                }
                if (volume.has("secret")) {
                    List<String> keys = new ArrayList<>();
                    volume.at("/secret/items").forEach(i -> keys.add(i.path("path").asText()));
                    assertThat(keys)
                            .as("items of secret volume %s", volume.path("name").asText())
                            .contains(relative);
                    return new MountedFile(volume.at("/secret/secretName").asText(), null);
                }
                return new MountedFile(volume.path("name").asText(), null);
            }
            throw new AssertionError("mount " + mountPath + " has no volume");
        }
        throw new AssertionError(path + " is on no volume mount of the Flink container");
    }

    private static JsonNode configMapData(RenderedChart chart, MountedFile file) {
        JsonNode configMap =
                chart.named("ConfigMap", file.source())
                        .orElseThrow(() -> new AssertionError("no ConfigMap " + file.source()));
        return configMap.path("data").path(file.configMapKey());
    }

    private static JsonNode jobYaml(RenderedChart chart) {
        List<String> args = new ArrayList<>();
        chart.only("FlinkDeployment").at("/spec/job/args").forEach(a -> args.add(a.asText()));
        return RenderedChart.parse(
                configMapData(chart, resolveMountedFile(chart, args.get(2))).asText());
    }

    private static Set<String> names(List<JsonNode> manifests) {
        Set<String> names = new HashSet<>();
        manifests.forEach(m -> names.add(m.at("/metadata/name").asText()));
        return names;
    }

    /** Every {@code name} below {@code node}. */
    private static void collectNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("name") && field.getValue().isTextual()) {
                    names.add(field.getValue().asText());
                } else {
                    collectNames(field.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectNames(n, names));
        }
    }

    /** Names in {@code envFrom[].<fromRef>} and {@code env[].valueFrom.<keyRef>}. */
    private static void collectRefs(
            JsonNode container, String fromRef, String keyRef, List<String> names) {
        container
                .path("envFrom")
                .forEach(
                        e -> {
                            if (e.has(fromRef)) {
                                names.add(e.path(fromRef).path("name").asText());
                            }
                        });
        container
                .path("env")
                .forEach(
                        e -> {
                            if (e.path("valueFrom").has(keyRef)) {
                                names.add(e.path("valueFrom").path(keyRef).path("name").asText());
                            }
                        });
    }

    private static JsonNode chartYaml() {
        return RenderedChart.read(Helm.chart().resolve("Chart.yaml"));
    }

    /** The keys of PersonalizeOptions, read from its source. */
    static Set<String> jobOptions() throws IOException {
        Path source =
                Helm.repositoryRoot()
                        .resolve(
                                "flink-jobs/src/main/java/io/personalize/job/config/PersonalizeOptions.java");
        Matcher matcher =
                Pattern.compile("key\\(\"([^\"]+)\"\\)").matcher(Files.readString(source));
        Set<String> keys = new HashSet<>();
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
