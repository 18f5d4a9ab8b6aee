package io.personalize.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.helm.RenderedChart.Role;
import io.personalize.helm.RestrictedPodSecurity.Rule;
import io.personalize.helm.RestrictedPodSecurity.Violation;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart is locked down by default, with its defaults and with {@code
 * ci/production-values.yaml}: the JobManager and TaskManager pods (as the operator merges their pod
 * templates) meet the restricted Pod Security Standard with a read-only root filesystem, a
 * NetworkPolicy per role lets in only the cluster, the operator and Prometheus and lets out only
 * what the values name, no job can be uploaded through REST, and TLS comes from a mounted Secret
 * when asked for. Each pod security rule is shown to be checked: values that loosen it are reported
 * as breaking exactly that rule.
 */
class LockedDownDeploymentTest {
    private static final String DEFAULTS = "";
    private static final String PRODUCTION = "ci/production-values.yaml";
    private static final String NATIVE_TYPE = "flink-native-kubernetes";
    private static final String STATE_DIR = "/opt/personalize/state";
    private static final Set<String> WRITABLE_DIRS =
            Set.of("/tmp", "/opt/flink/log", "/opt/flink/artifacts", STATE_DIR);

    private static RenderedChart render(String valuesFile, String... overrides) {
        return RenderedChart.render(
                Helm.required(), valuesFile.isEmpty() ? null : valuesFile, overrides);
    }

    static Stream<Arguments> valuesAndRoles() {
        return Stream.of(DEFAULTS, PRODUCTION)
                .flatMap(v -> Stream.of(Role.values()).map(r -> Arguments.of(v, r)));
    }

    // ---- pod security -----------------------------------------------------------------------

    @ParameterizedTest(name = "values: {0}, {1}")
    @MethodSource("valuesAndRoles")
    void podsOfEachRoleMeetTheRestrictedPodSecurityStandard(String valuesFile, Role role) {
        RenderedChart chart = render(valuesFile);

        JsonNode pod = chart.pod(role);

        assertThat(RestrictedPodSecurity.violations(pod)).isEmpty();
        assertThat(pod.at("/spec/securityContext/runAsUser").asInt())
                .as("the official Flink image's flink user")
                .isEqualTo(9999);
    }

    /** Values that loosen one rule, and the rules the checker must then report, per role. */
    record Loosening(String name, List<String> overrides, Set<Role> roles, Set<Rule> broken) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Set<Role> BOTH = EnumSet.allOf(Role.class);

    static Stream<Loosening> loosenings() {
        return Stream.of(
                new Loosening(
                        "Windows HostProcess",
                        List.of("--set", "podSecurityContext.windowsOptions.hostProcess=true"),
                        BOTH,
                        Set.of(Rule.HOST_PROCESS)),
                new Loosening(
                        "hostNetwork in the TaskManagers' pod template",
                        List.of(
                                "--set-json",
                                "taskManager.podTemplate={\"spec\":{\"hostNetwork\":true}}"),
                        EnumSet.of(Role.TASK_MANAGER),
                        Set.of(Rule.HOST_NAMESPACES)),
                new Loosening(
                        "hostPID in the JobManager's pod template",
                        List.of(
                                "--set-json",
                                "jobManager.podTemplate={\"spec\":{\"hostPID\":true}}"),
                        EnumSet.of(Role.JOB_MANAGER),
                        Set.of(Rule.HOST_NAMESPACES)),
                new Loosening(
                        "privileged",
                        List.of("--set", "securityContext.privileged=true"),
                        BOTH,
                        Set.of(Rule.PRIVILEGED)),
                new Loosening(
                        "a hostPath volume",
                        List.of(
                                "--set-json",
                                "extraVolumes=[{\"name\":\"host\",\"hostPath\":{\"path\":\"/var/run\"}}]"),
                        BOTH,
                        Set.of(Rule.HOST_PATH_VOLUMES, Rule.VOLUME_TYPES)),
                new Loosening(
                        "a hostPort on the JobManager",
                        List.of(
                                "--set-json",
                                "jobManager.podTemplate={\"spec\":{\"containers\":[{\"name\":"
                                        + "\"flink-main-container\",\"ports\":[{\"name\":\"ui\","
                                        + "\"containerPort\":8081,\"hostPort\":8081}]}]}}"),
                        EnumSet.of(Role.JOB_MANAGER),
                        Set.of(Rule.HOST_PORTS)),
                new Loosening(
                        "a probe on another host",
                        List.of(
                                "--set-json",
                                "taskManager.podTemplate={\"spec\":{\"containers\":[{\"name\":"
                                        + "\"flink-main-container\",\"livenessProbe\":{\"tcpSocket\":"
                                        + "{\"port\":6122,\"host\":\"10.0.0.1\"}}}]}}"),
                        EnumSet.of(Role.TASK_MANAGER),
                        Set.of(Rule.HOST_PROBES)),
                new Loosening(
                        "AppArmor unconfined",
                        List.of("--set", "securityContext.appArmorProfile.type=Unconfined"),
                        BOTH,
                        Set.of(Rule.APPARMOR)),
                new Loosening(
                        "a custom SELinux type",
                        List.of("--set", "podSecurityContext.seLinuxOptions.type=spc_t"),
                        BOTH,
                        Set.of(Rule.SELINUX)),
                new Loosening(
                        "an unmasked /proc",
                        List.of("--set", "securityContext.procMount=Unmasked"),
                        BOTH,
                        Set.of(Rule.PROC_MOUNT)),
                new Loosening(
                        "an unsafe sysctl",
                        List.of(
                                "--set-json",
                                "podSecurityContext.sysctls=[{\"name\":\"kernel.msgmax\",\"value\":\"65536\"}]"),
                        BOTH,
                        Set.of(Rule.SYSCTLS)),
                new Loosening(
                        "models on an nfs volume",
                        List.of(
                                "--set",
                                "models.volume.persistentVolumeClaim=null",
                                "--set-json",
                                "models.volume={\"nfs\":{\"server\":\"nfs.example.com\",\"path\":\"/models\"}}"),
                        BOTH,
                        Set.of(Rule.VOLUME_TYPES)),
                new Loosening(
                        "privilege escalation allowed",
                        List.of("--set", "securityContext.allowPrivilegeEscalation=true"),
                        BOTH,
                        Set.of(Rule.PRIVILEGE_ESCALATION)),
                new Loosening(
                        "privilege escalation not set",
                        List.of("--set", "securityContext.allowPrivilegeEscalation=null"),
                        BOTH,
                        Set.of(Rule.PRIVILEGE_ESCALATION)),
                new Loosening(
                        "runAsNonRoot false",
                        List.of("--set", "podSecurityContext.runAsNonRoot=false"),
                        BOTH,
                        Set.of(Rule.RUN_AS_NON_ROOT)),
                new Loosening(
                        "runAsNonRoot not set",
                        List.of("--set", "podSecurityContext.runAsNonRoot=null"),
                        BOTH,
                        Set.of(Rule.RUN_AS_NON_ROOT)),
                new Loosening(
                        "root user",
                        List.of("--set", "podSecurityContext.runAsUser=0"),
                        BOTH,
                        Set.of(Rule.RUN_AS_USER)),
                new Loosening(
                        "no seccomp profile",
                        List.of("--set", "podSecurityContext.seccompProfile=null"),
                        BOTH,
                        Set.of(Rule.SECCOMP)),
                new Loosening(
                        "seccomp unconfined",
                        List.of("--set", "podSecurityContext.seccompProfile.type=Unconfined"),
                        BOTH,
                        Set.of(Rule.SECCOMP)),
                new Loosening(
                        "capabilities not dropped",
                        List.of("--set", "securityContext.capabilities.drop=null"),
                        BOTH,
                        Set.of(Rule.CAPABILITIES)),
                new Loosening(
                        "a capability added",
                        List.of("--set", "securityContext.capabilities.add={SYS_ADMIN}"),
                        BOTH,
                        Set.of(Rule.CAPABILITIES)),
                new Loosening(
                        "a writable root filesystem",
                        List.of("--set", "securityContext.readOnlyRootFilesystem=false"),
                        BOTH,
                        Set.of(Rule.READ_ONLY_ROOT_FILESYSTEM)),
                new Loosening(
                        "an init container without limits on the TaskManagers",
                        List.of(
                                "--set-json",
                                "taskManager.podTemplate={\"spec\":{\"initContainers\":[{\"name\":"
                                        + "\"fetch\",\"image\":\"busybox\",\"securityContext\":"
                                        + "{\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":"
                                        + "true,\"capabilities\":{\"drop\":[\"ALL\"]}},\"resources\":"
                                        + "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}"),
                        EnumSet.of(Role.TASK_MANAGER),
                        Set.of(Rule.RESOURCES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loosenings")
    void valuesThatLoosenOneRuleAreReportedAsBreakingThatRule(Loosening loosening) {
        RenderedChart chart = render(PRODUCTION, loosening.overrides().toArray(String[]::new));

        for (Role role : Role.values()) {
            List<Violation> found = RestrictedPodSecurity.violations(chart.pod(role));
            Set<Rule> rules = EnumSet.noneOf(Rule.class);
            found.forEach(v -> rules.add(v.rule()));
            assertThat(rules)
                    .as("%s: %s", role, found)
                    .isEqualTo(
                            loosening.roles().contains(role)
                                    ? loosening.broken()
                                    : EnumSet.noneOf(Rule.class));
        }
    }

    @Test
    void everyRuleHasALooseningThatBreaksIt() {
        Set<Rule> covered = EnumSet.noneOf(Rule.class);
        loosenings().forEach(l -> covered.addAll(l.broken()));

        assertThat(covered).containsExactlyInAnyOrder(Rule.values());
    }

    @ParameterizedTest(name = "values: {0}, {1}")
    @MethodSource("valuesAndRoles")
    void theOnlyWritablePlacesAreTheVolumesFlinkAndTheJobWriteTo(String valuesFile, Role role) {
        RenderedChart chart = render(valuesFile);
        JsonNode pod = chart.pod(role);
        JsonNode main = mainContainer(pod);

        Map<String, JsonNode> volumes = new HashMap<>();
        pod.at("/spec/volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        Set<String> writable = new TreeSet<>();
        for (JsonNode mount : main.path("volumeMounts")) {
            if (!mount.path("readOnly").asBoolean(false)) {
                writable.add(mount.path("mountPath").asText());
                JsonNode volume = volumes.get(mount.path("name").asText());
                assertThat(volume != null && volume.has("emptyDir"))
                        .as("%s is an emptyDir (values/writableVolumes)", mount.path("mountPath"))
                        .isTrue();
            }
        }

        assertThat(main.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(writable).containsExactlyInAnyOrderElementsOf(WRITABLE_DIRS);
        // Flink mounts its configuration ConfigMap there itself; a second mount would clash.
        main.path("volumeMounts")
                .forEach(
                        m ->
                                assertThat(m.path("mountPath").asText())
                                        .isNotEqualTo("/opt/flink/conf"));
        assertThat(chart.flinkConfiguration().path("io.tmp.dirs").asText()).isEqualTo("/tmp");
        assertThat(jobYaml(chart).path("personalize.state.dir").asText()).isEqualTo(STATE_DIR);
    }

    // ---- network policy ---------------------------------------------------------------------

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void networkPoliciesSelectThePodsTheOperatorLabelsForEachRole(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        String cluster = chart.only("FlinkDeployment").at("/metadata/name").asText();

        assertThat(chart.ofKind("NetworkPolicy"))
                .as("one per Flink role and one for the maintenance CronJob's pods")
                .hasSize(3);
        for (Role role : Role.values()) {
            JsonNode policy = policy(chart, role);
            assertThat(labels(policy.at("/spec/podSelector/matchLabels")))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(
                                    "app",
                                    cluster,
                                    "component",
                                    component(role),
                                    "type",
                                    NATIVE_TYPE));
            assertThat(texts(policy.at("/spec/policyTypes")))
                    .containsExactlyInAnyOrder("Ingress", "Egress");
        }
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void onlyTheClusterTheOperatorAndPrometheusGetIn(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        JsonNode flink = chart.flinkConfiguration();
        JsonNode cluster = clusterPeer(chart);
        JsonNode operator = chart.values().at("/networkPolicy/operator");
        JsonNode prometheus = chart.values().at("/networkPolicy/prometheus");
        int rest = port(flink, "rest.port");
        int metrics = port(flink, "metrics.reporter.prom.port");

        Map<Integer, List<JsonNode>> jobManager =
                ingressPeersByPort(policy(chart, Role.JOB_MANAGER));
        Map<Integer, List<JsonNode>> taskManager =
                ingressPeersByPort(policy(chart, Role.TASK_MANAGER));

        assertThat(jobManager.keySet())
                .containsExactlyInAnyOrder(
                        rest,
                        port(flink, "jobmanager.rpc.port"),
                        port(flink, "blob.server.port"),
                        port(flink, "metrics.internal.query-service.port"),
                        metrics);
        assertThat(jobManager.get(rest)).containsExactly(operator);
        assertThat(jobManager.get(metrics)).containsExactly(prometheus);
        assertThat(jobManager.get(port(flink, "jobmanager.rpc.port"))).containsExactly(cluster);
        assertThat(jobManager.get(port(flink, "blob.server.port"))).containsExactly(cluster);
        assertThat(taskManager.keySet())
                .containsExactlyInAnyOrder(
                        port(flink, "taskmanager.rpc.port"),
                        port(flink, "taskmanager.data.port"),
                        port(flink, "metrics.internal.query-service.port"),
                        metrics);
        assertThat(taskManager.get(port(flink, "taskmanager.data.port"))).containsExactly(cluster);
        assertThat(taskManager.get(metrics)).containsExactly(prometheus);
        if (chart.values().at("/highAvailability/enabled").asBoolean()) {
            assertThat(flink.path("high-availability.jobmanager.port").asText())
                    .as("with HA the JobManager's RPC port is this one")
                    .isEqualTo(flink.path("jobmanager.rpc.port").asText());
        }
    }

    @Test
    void networkPoliciesFollowAPortChangedInFlinkConfiguration() {
        RenderedChart chart =
                render(
                        DEFAULTS,
                        "--set-string",
                        "flinkConfiguration.taskmanager\\.data\\.port=7000");

        assertThat(chart.flinkConfiguration().path("taskmanager.data.port").asText())
                .isEqualTo("7000");
        assertThat(ingressPeersByPort(policy(chart, Role.TASK_MANAGER)).keySet())
                .contains(7000)
                .doesNotContain(6121);
    }

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void egressNamesItsPortsAndReachesEveryServiceTheJobConfigurationNames(String valuesFile) {
        RenderedChart chart = render(valuesFile);
        JsonNode job = jobYaml(chart);
        JsonNode flink = chart.flinkConfiguration();

        Set<Integer> bothRoles = new HashSet<>();
        for (String broker : job.path("personalize.kafka.bootstrap-servers").asText().split(",")) {
            bothRoles.add(Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1).trim()));
        }
        bothRoles.add(urlPort(job.path("personalize.catalog.uri").asText()));
        bothRoles.add(flink.has("s3.endpoint") ? urlPort(flink.path("s3.endpoint").asText()) : 443);
        bothRoles.add(53);
        Set<Integer> taskManagersOnly = new HashSet<>();
        String endpointsFile = job.path("personalize.delivery.endpoints").asText();
        if (!endpointsFile.isEmpty()) {
            JsonNode endpoints =
                    RenderedChart.parse(
                            chart.ofKind("ConfigMap").stream()
                                    .filter(c -> c.at("/data/endpoints.yaml").isTextual())
                                    .findFirst()
                                    .orElseThrow()
                                    .at("/data/endpoints.yaml")
                                    .asText());
            endpoints
                    .path("endpoints")
                    .forEach(e -> taskManagersOnly.add(urlPort(e.path("url").asText())));
        }

        for (Role role : Role.values()) {
            JsonNode egress = policy(chart, role).at("/spec/egress");
            assertThat(egress)
                    .as("%s: every egress rule names its ports", role)
                    .allSatisfy(rule -> assertThat(rule.path("ports").size()).isPositive());
            Set<Integer> allowed = new HashSet<>();
            egress.forEach(
                    rule -> rule.path("ports").forEach(p -> allowed.add(p.path("port").asInt())));
            assertThat(allowed).as("%s", role).containsAll(bothRoles);
            if (role == Role.TASK_MANAGER) {
                assertThat(allowed).containsAll(taskManagersOnly);
            }
        }
        if (valuesFile.equals(PRODUCTION)) {
            assertThat(taskManagersOnly).isNotEmpty();
        }
    }

    @Test
    void productionEgressRulesAllNameTheirPeers() {
        RenderedChart chart = render(PRODUCTION);

        for (Role role : Role.values()) {
            assertThat(policy(chart, role).at("/spec/egress"))
                    .as("%s", role)
                    .allSatisfy(rule -> assertThat(rule.path("to").size()).isPositive());
        }
        // The delivery endpoints are called from the TaskManagers only.
        assertThat(policy(chart, Role.JOB_MANAGER).at("/spec/egress"))
                .noneMatch(rule -> rule.toString().contains("203.0.113.0/24"));
        assertThat(policy(chart, Role.TASK_MANAGER).at("/spec/egress"))
                .anyMatch(rule -> rule.toString().contains("203.0.113.0/24"));
    }

    @Test
    void taskManagersReachTheApiServerOnlyWithHighAvailability() {
        RenderedChart withHa = render(DEFAULTS);
        RenderedChart withoutHa = render(DEFAULTS, "--set", "highAvailability.enabled=false");
        JsonNode apiServer = withHa.values().at("/networkPolicy/egress/kubernetesApi/ports");

        assertThat(egressPortLists(policy(withHa, Role.TASK_MANAGER))).contains(apiServer);
        assertThat(egressPortLists(policy(withoutHa, Role.TASK_MANAGER))).doesNotContain(apiServer);
        assertThat(egressPortLists(policy(withoutHa, Role.JOB_MANAGER)))
                .as("the JobManager creates the TaskManager pods")
                .contains(apiServer);
    }

    @Test
    void networkPolicyIsOnByDefaultAndOffByAValue() {
        assertThat(render(DEFAULTS).ofKind("NetworkPolicy")).hasSize(3);
        assertThat(render(DEFAULTS, "--set", "networkPolicy.enabled=false").ofKind("NetworkPolicy"))
                .isEmpty();
    }

    @Test
    void schemaRefusesAnEgressRuleWithoutPorts() {
        Helm.Result result =
                Helm.required()
                        .tryRun(
                                "template",
                                "personalize",
                                ".",
                                "--set-json",
                                "networkPolicy.egress.extra=[{\"to\":[{\"ipBlock\":{\"cidr\":\"0.0.0.0/0\"}}]}]");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("ports");
    }

    // ---- REST submission and TLS ------------------------------------------------------------

    @ParameterizedTest(name = "values: {0}")
    @MethodSource("valuesFiles")
    void flinkConfigurationTurnsJobUploadAndCancelThroughRestOff(String valuesFile) {
        JsonNode flink = render(valuesFile).flinkConfiguration();

        assertThat(flink.path("web.submit.enable").asText()).isEqualTo("false");
        assertThat(flink.path("web.cancel.enable").asText()).isEqualTo("false");
    }

    @Test
    void jobUploadStaysOffWhenFlinkConfigurationAsksForIt() {
        JsonNode flink =
                render(
                                DEFAULTS,
                                "--set-string",
                                "flinkConfiguration.web\\.submit\\.enable=true",
                                "--set-string",
                                "flinkConfiguration.web\\.cancel\\.enable=true")
                        .flinkConfiguration();

        assertThat(flink.path("web.submit.enable").asText()).isEqualTo("false");
        assertThat(flink.path("web.cancel.enable").asText()).isEqualTo("false");
    }

    @Test
    void tlsTurnsOnFlinksSslWithTheStoresOfTheMountedSecret() {
        RenderedChart chart = render(PRODUCTION);
        JsonNode flink = chart.flinkConfiguration();
        JsonNode secret = chart.values().at("/secrets/tls");
        JsonNode main = mainContainer(chart.pod(Role.TASK_MANAGER));

        for (String scope : List.of("internal", "rest")) {
            String prefix = "security.ssl." + scope + ".";
            assertThat(flink.path(prefix + "enabled").asText()).isEqualTo("true");
            assertThat(flink.path(prefix + "keystore-password").asText()).isNotBlank();
            assertThat(flink.path(prefix + "key-password").asText()).isNotBlank();
            assertThat(flink.path(prefix + "truststore-password").asText()).isNotBlank();
            for (String store : List.of("keystore", "truststore")) {
                String path = flink.path(prefix + store).asText();
                assertThat(secretFileAt(chart, main, path))
                        .as("%s%s %s", prefix, store, path)
                        .isEqualTo(
                                secret.path("name").asText() + "/" + secret.path(store).asText());
            }
        }
    }

    @Test
    void defaultsRenderNoTls() {
        RenderedChart chart = render(DEFAULTS);

        assertThat(names(chart.flinkConfiguration())).noneMatch(k -> k.startsWith("security.ssl."));
        assertThat(chart.podSpec().path("volumes"))
                .noneMatch(v -> v.has("secret") && v.path("name").asText().equals("tls"));
    }

    @Test
    void tlsWithoutItsSecretIsRefused() {
        Helm.Result result =
                Helm.required()
                        .tryRun("template", "personalize", ".", "--set", "tls.internal=true");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("secrets.tls.name");
    }

    // ---- helpers ----------------------------------------------------------------------------

    static Stream<String> valuesFiles() {
        return Stream.of(DEFAULTS, PRODUCTION);
    }

    private static String component(Role role) {
        return role == Role.JOB_MANAGER ? "jobmanager" : "taskmanager";
    }

    private static JsonNode policy(RenderedChart chart, Role role) {
        return chart.ofKind("NetworkPolicy").stream()
                .filter(
                        p ->
                                component(role)
                                        .equals(
                                                p.at("/spec/podSelector/matchLabels/component")
                                                        .asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy for " + role));
    }

    /** The peer that selects every pod of the cluster, as the operator labels them. */
    private static JsonNode clusterPeer(RenderedChart chart) {
        String cluster = chart.only("FlinkDeployment").at("/metadata/name").asText();
        return RenderedChart.parse(
                "podSelector: {matchLabels: {app: " + cluster + ", type: " + NATIVE_TYPE + "}}");
    }

    private static Map<Integer, List<JsonNode>> ingressPeersByPort(JsonNode policy) {
        Map<Integer, List<JsonNode>> peers = new HashMap<>();
        for (JsonNode rule : policy.at("/spec/ingress")) {
            assertThat(rule.path("from").size())
                    .as("every ingress rule names its peers")
                    .isPositive();
            assertThat(rule.path("ports").size())
                    .as("every ingress rule names its ports")
                    .isPositive();
            for (JsonNode port : rule.path("ports")) {
                assertThat(port.path("protocol").asText("TCP")).isEqualTo("TCP");
                rule.path("from")
                        .forEach(
                                peer ->
                                        peers.computeIfAbsent(
                                                        port.path("port").asInt(),
                                                        p -> new ArrayList<>())
                                                .add(peer));
            }
        }
        return peers;
    }

    private static List<JsonNode> egressPortLists(JsonNode policy) {
        List<JsonNode> ports = new ArrayList<>();
        policy.at("/spec/egress").forEach(rule -> ports.add(rule.path("ports")));
        return ports;
    }

    private static int port(JsonNode flink, String key) {
        return Integer.parseInt(flink.path(key).asText());
    }

    private static int urlPort(String url) {
        URI uri = URI.create(url);
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80;
    }

    private static JsonNode mainContainer(JsonNode pod) {
        for (JsonNode container : pod.at("/spec/containers")) {
            if ("flink-main-container".equals(container.path("name").asText())) {
                return container;
            }
        }
        throw new AssertionError("no flink-main-container");
    }

    /** {@code <secret name>/<key>} of the secret volume item mounted at {@code path}. */
    private static String secretFileAt(RenderedChart chart, JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            String dir = mount.path("mountPath").asText();
            if (!path.startsWith(dir + "/")) {
                continue;
            }
            String file = path.substring(dir.length() + 1);
            for (JsonNode volume : chart.podSpec().path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText())
                        && volume.has("secret")) {
                    for (JsonNode item : volume.at("/secret/items")) {
                        if (item.path("path").asText().equals(file)) {
                            return volume.at("/secret/secretName").asText()
                                    + "/"
                                    + item.path("key").asText();
                        }
                    }
                }
            }
        }
        throw new AssertionError(path + " is no item of a mounted Secret");
    }

    private static JsonNode jobYaml(RenderedChart chart) {
        return RenderedChart.parse(
                chart.named(
                                "ConfigMap",
                                chart.only("FlinkDeployment").at("/metadata/name").asText()
                                        + "-config")
                        .orElseThrow()
                        .at("/data/job.yaml")
                        .asText());
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
