package io.personalize.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart schedules table maintenance beside the job: a CronJob running {@code tables maintain}
 * on the job's own configuration file, as locked down as the Flink pods, reaching only DNS and what
 * the job's storage needs.
 */
class MaintenanceCronJobTest {
    private static final String DEFAULTS = "";
    private static final String PRODUCTION = "ci/production-values.yaml";

    static Stream<String> valuesFiles() {
        return Stream.of(DEFAULTS, PRODUCTION);
    }

    private static RenderedChart render(String valuesFile, String... overrides) {
        return RenderedChart.render(
                Helm.required(), valuesFile.isEmpty() ? null : valuesFile, overrides);
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void aCronJobMaintainsTheTablesWithTheJobsOwnConfigurationNeverTwiceAtOnce(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        JsonNode cron = chart.only("CronJob");
        JsonNode pod = cron.at("/spec/jobTemplate/spec/template");
        JsonNode container = pod.at("/spec/containers/0");

        assertThat(cron.at("/spec/concurrencyPolicy").asText()).isEqualTo("Forbid");
        assertThat(cron.at("/spec/schedule").asText()).isNotBlank();
        List<String> args = texts(container.path("args"));
        List<String> jobArgs = texts(chart.only("FlinkDeployment").at("/spec/job/args"));
        assertThat(args.subList(0, 2)).containsExactly("tables", "maintain");
        assertThat(args.get(args.indexOf("--config") + 1))
                .as("the configuration file the job itself runs with")
                .isEqualTo(jobArgs.get(jobArgs.indexOf("--config") + 1));
        assertThat(texts(container.path("command")))
                .contains("io.personalize.job.cli.PersonalizeCli");
        assertThat(container.path("image").asText())
                .isEqualTo(chart.only("FlinkDeployment").at("/spec/image").asText());
        assertThat(configMaps(pod.at("/spec/volumes")))
                .as("the job's configuration ConfigMap")
                .containsExactlyElementsOf(
                        configMaps(
                                        chart.only("FlinkDeployment")
                                                .at("/spec/podTemplate/spec/volumes"))
                                .subList(0, 1));
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void itsPodMeetsTheRestrictedPodSecurityStandard(String valuesFile) {
        JsonNode pod = render(valuesFile).only("CronJob").at("/spec/jobTemplate/spec/template");

        assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();
        assertThat(pod.at("/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void itsPodsLetNothingInAndReachOnlyDnsAndStorage(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        JsonNode pod = chart.only("CronJob").at("/spec/jobTemplate/spec/template");
        JsonNode policy =
                chart.ofKind("NetworkPolicy").stream()
                        .filter(p -> p.at("/metadata/name").asText().endsWith("-maintenance"))
                        .findFirst()
                        .orElseThrow();

        policy.at("/spec/podSelector/matchLabels")
                .fields()
                .forEachRemaining(
                        label ->
                                assertThat(pod.at("/metadata/labels").path(label.getKey()).asText())
                                        .as("the pod carries the label %s", label.getKey())
                                        .isEqualTo(label.getValue().asText()));
        assertThat(texts(policy.at("/spec/policyTypes"))).containsExactly("Ingress", "Egress");
        assertThat(policy.at("/spec/ingress")).isEmpty();
        JsonNode egress = policy.at("/spec/egress");
        assertThat(egress).isNotEmpty();
        List<Integer> ports = new ArrayList<>();
        egress.forEach(rule -> rule.path("ports").forEach(p -> ports.add(p.path("port").asInt())));
        assertThat(ports).as("DNS").contains(53);
        if (!valuesFile.isEmpty()) {
            JsonNode catalog = chart.values().at("/networkPolicy/egress/catalog");
            assertThat(catalog.isMissingNode() || catalog.isNull() || catalog.isEmpty())
                    .as("production values name the catalog")
                    .isFalse();
            assertThat(ports).contains(catalog.get(0).at("/ports/0/port").asInt());
        }
    }

    @Test
    void maintenanceCanBeTurnedOff() {
        RenderedChart chart = render(DEFAULTS, "--set", "maintenance.enabled=false");

        assertThat(chart.ofKind("CronJob")).isEmpty();
        assertThat(chart.ofKind("NetworkPolicy"))
                .noneMatch(p -> p.at("/metadata/name").asText().endsWith("-maintenance"));
    }

    private static List<String> configMaps(JsonNode volumes) {
        List<String> out = new ArrayList<>();
        volumes.forEach(
                v -> {
                    if (v.has("configMap")) {
                        out.add(v.at("/configMap/name").asText());
                    }
                });
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
