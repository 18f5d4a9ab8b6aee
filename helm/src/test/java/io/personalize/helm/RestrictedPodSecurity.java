package io.personalize.helm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes "restricted" Pod Security Standard (which includes "baseline"), as the rules Pod
 * Security Admission applies to a pod, plus two rules of this chart's own: a read-only root
 * filesystem and cpu and memory requests and limits on every container. Every container counts,
 * init containers included.
 *
 * <pre>{@code
 * List<Violation> found = RestrictedPodSecurity.violations(chart.pod(Role.TASK_MANAGER));
 * }</pre>
 */
final class RestrictedPodSecurity {

    enum Rule {
        // Baseline.
        HOST_PROCESS("no Windows HostProcess pods"),
        HOST_NAMESPACES("no hostNetwork, hostPID, hostIPC"),
        PRIVILEGED("no privileged containers"),
        HOST_PATH_VOLUMES("no hostPath volumes"),
        HOST_PORTS("no hostPorts"),
        HOST_PROBES("no host in probes and lifecycle hooks"),
        APPARMOR("AppArmor RuntimeDefault or Localhost, if set"),
        SELINUX("no custom SELinux user, role or type"),
        PROC_MOUNT("procMount Default"),
        SYSCTLS("only safe sysctls"),
        // Restricted.
        VOLUME_TYPES(
                "only configMap, csi, downwardAPI, emptyDir, ephemeral, image,"
                        + " persistentVolumeClaim, projected, secret volumes"),
        PRIVILEGE_ESCALATION("allowPrivilegeEscalation false"),
        RUN_AS_NON_ROOT("runAsNonRoot true"),
        RUN_AS_USER("runAsUser not 0"),
        SECCOMP("seccompProfile RuntimeDefault or Localhost"),
        CAPABILITIES("capabilities drop ALL and add at most NET_BIND_SERVICE"),
        // This chart's own.
        READ_ONLY_ROOT_FILESYSTEM("readOnlyRootFilesystem true"),
        RESOURCES("cpu and memory requests and limits");

        final String requirement;

        Rule(String requirement) {
            this.requirement = requirement;
        }
    }

    /** One broken rule: where (the pod, a container or a volume) and what was found. */
    record Violation(Rule rule, String where, String found) {
        @Override
        public String toString() {
            return rule + " (" + rule.requirement + ") broken by " + where + ": " + found;
        }
    }

    private static final Set<String> VOLUME_SOURCES =
            Set.of(
                    "configMap",
                    "csi",
                    "downwardAPI",
                    "emptyDir",
                    "ephemeral",
                    "image",
                    "persistentVolumeClaim",
                    "projected",
                    "secret");
    private static final Set<String> SAFE_SYSCTLS =
            Set.of(
                    "kernel.shm_rmid_forced",
                    "net.ipv4.ip_local_port_range",
                    "net.ipv4.ip_unprivileged_port_start",
                    "net.ipv4.tcp_syncookies",
                    "net.ipv4.ping_group_range",
                    "net.ipv4.ip_local_reserved_ports",
                    "net.ipv4.tcp_keepalive_time",
                    "net.ipv4.tcp_fin_timeout",
                    "net.ipv4.tcp_keepalive_intvl",
                    "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");
    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Localhost");
    private static final Set<String> APPARMOR_TYPES = Set.of("RuntimeDefault", "Localhost");
    private static final String APPARMOR_ANNOTATION =
            "container.apparmor.security.beta.kubernetes.io/";

    private RestrictedPodSecurity() {}

    /**
     * Every rule {@code podTemplate} (metadata and spec of a pod) breaks; empty when it meets all.
     */
    static List<Violation> violations(JsonNode podTemplate) {
        JsonNode spec = podTemplate.path("spec");
        JsonNode pod = spec.path("securityContext");
        List<Violation> found = new ArrayList<>();
        List<JsonNode> containers = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            spec.path(list).forEach(containers::add);
        }

        // Pod level.
        if (pod.at("/windowsOptions/hostProcess").asBoolean(false)) {
            found.add(new Violation(Rule.HOST_PROCESS, "the pod", "windowsOptions.hostProcess"));
        }
        for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (spec.path(field).asBoolean(false)) {
                found.add(new Violation(Rule.HOST_NAMESPACES, "the pod", field + ": true"));
            }
        }
        checkSeLinux(pod, "the pod", found);
        checkAppArmor(pod, "the pod", found);
        podTemplate
                .path("metadata")
                .path("annotations")
                .properties()
                .forEach(
                        a -> {
                            String value = a.getValue().asText();
                            if (a.getKey().startsWith(APPARMOR_ANNOTATION)
                                    && !value.equals("runtime/default")
                                    && !value.startsWith("localhost/")) {
                                found.add(
                                        new Violation(
                                                Rule.APPARMOR,
                                                "the pod",
                                                a.getKey() + ": " + value));
                            }
                        });
        for (JsonNode sysctl : pod.path("sysctls")) {
            if (!SAFE_SYSCTLS.contains(sysctl.path("name").asText())) {
                found.add(
                        new Violation(
                                Rule.SYSCTLS, "the pod", "sysctl " + sysctl.path("name").asText()));
            }
        }
        if (pod.has("runAsUser") && pod.path("runAsUser").asLong() == 0) {
            found.add(new Violation(Rule.RUN_AS_USER, "the pod", "runAsUser: 0"));
        }
        boolean podRunsAsNonRoot = pod.path("runAsNonRoot").asBoolean(false);
        if (pod.has("runAsNonRoot") && !podRunsAsNonRoot) {
            found.add(new Violation(Rule.RUN_AS_NON_ROOT, "the pod", "runAsNonRoot: false"));
        }
        String podSeccomp = pod.at("/seccompProfile/type").asText("");
        if (!podSeccomp.isEmpty() && !SECCOMP_TYPES.contains(podSeccomp)) {
            found.add(new Violation(Rule.SECCOMP, "the pod", "seccompProfile " + podSeccomp));
        }

        // Volumes.
        for (JsonNode volume : spec.path("volumes")) {
            String name = "volume " + volume.path("name").asText();
            List<String> sources = new ArrayList<>();
            volume.fieldNames().forEachRemaining(sources::add);
            sources.remove("name");
            if (volume.has("hostPath")) {
                found.add(new Violation(Rule.HOST_PATH_VOLUMES, name, "hostPath"));
            }
            if (sources.size() != 1 || !VOLUME_SOURCES.contains(sources.get(0))) {
                found.add(new Violation(Rule.VOLUME_TYPES, name, "source " + sources));
            }
        }

        // Containers.
        for (JsonNode container : containers) {
            String name = "container " + container.path("name").asText();
            JsonNode context = container.path("securityContext");
            if (context.at("/windowsOptions/hostProcess").asBoolean(false)) {
                found.add(new Violation(Rule.HOST_PROCESS, name, "windowsOptions.hostProcess"));
            }
            if (context.path("privileged").asBoolean(false)) {
                found.add(new Violation(Rule.PRIVILEGED, name, "privileged: true"));
            }
            for (JsonNode port : container.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    found.add(
                            new Violation(
                                    Rule.HOST_PORTS, name, "hostPort " + port.path("hostPort")));
                }
            }
            checkProbeHosts(container, name, found);
            checkSeLinux(context, name, found);
            checkAppArmor(context, name, found);
            String procMount = context.path("procMount").asText("Default");
            if (!procMount.equals("Default")) {
                found.add(new Violation(Rule.PROC_MOUNT, name, "procMount " + procMount));
            }
            if (!(context.path("allowPrivilegeEscalation").isBoolean()
                    && !context.path("allowPrivilegeEscalation").asBoolean())) {
                found.add(
                        new Violation(
                                Rule.PRIVILEGE_ESCALATION,
                                name,
                                "allowPrivilegeEscalation "
                                        + shown(context.path("allowPrivilegeEscalation"))));
            }
            if (context.has("runAsNonRoot")
                    ? !context.path("runAsNonRoot").asBoolean(false)
                    : !podRunsAsNonRoot) {
                found.add(
                        new Violation(
                                Rule.RUN_AS_NON_ROOT,
                                name,
                                "runAsNonRoot not true here nor on the pod"));
            }
            if (context.has("runAsUser") && context.path("runAsUser").asLong() == 0) {
                found.add(new Violation(Rule.RUN_AS_USER, name, "runAsUser: 0"));
            }
            String seccomp = context.at("/seccompProfile/type").asText("");
            if (seccomp.isEmpty()
                    ? !SECCOMP_TYPES.contains(podSeccomp)
                    : !SECCOMP_TYPES.contains(seccomp)) {
                found.add(
                        new Violation(
                                Rule.SECCOMP,
                                name,
                                "seccompProfile "
                                        + (seccomp.isEmpty()
                                                ? "unset here and on the pod (" + podSeccomp + ")"
                                                : seccomp)));
            }
            List<String> dropped = new ArrayList<>();
            context.at("/capabilities/drop").forEach(c -> dropped.add(c.asText()));
            List<String> added = new ArrayList<>();
            context.at("/capabilities/add").forEach(c -> added.add(c.asText()));
            added.remove("NET_BIND_SERVICE");
            if (!dropped.contains("ALL") || !added.isEmpty()) {
                found.add(
                        new Violation(
                                Rule.CAPABILITIES,
                                name,
                                "drop " + dropped + ", add " + context.at("/capabilities/add")));
            }
            if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
                found.add(
                        new Violation(
                                Rule.READ_ONLY_ROOT_FILESYSTEM,
                                name,
                                "readOnlyRootFilesystem "
                                        + context.path("readOnlyRootFilesystem")));
            }
            JsonNode resources = container.path("resources");
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (resources.path(bound).path(resource).asText("").isBlank()) {
                        found.add(
                                new Violation(
                                        Rule.RESOURCES, name, "no " + bound + "." + resource));
                    }
                }
            }
        }
        return found;
    }

    private static String shown(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "unset" : value.toString();
    }

    private static void checkSeLinux(JsonNode context, String where, List<Violation> found) {
        JsonNode options = context.path("seLinuxOptions");
        if (!SELINUX_TYPES.contains(options.path("type").asText(""))
                || !options.path("user").asText("").isEmpty()
                || !options.path("role").asText("").isEmpty()) {
            found.add(new Violation(Rule.SELINUX, where, "seLinuxOptions " + options));
        }
    }

    private static void checkAppArmor(JsonNode context, String where, List<Violation> found) {
        String type = context.at("/appArmorProfile/type").asText("");
        if (!type.isEmpty() && !APPARMOR_TYPES.contains(type)) {
            found.add(new Violation(Rule.APPARMOR, where, "appArmorProfile " + type));
        }
    }

    private static void checkProbeHosts(JsonNode container, String where, List<Violation> found) {
        Map<String, JsonNode> handlers =
                Map.of(
                        "livenessProbe", container.path("livenessProbe"),
                        "readinessProbe", container.path("readinessProbe"),
                        "startupProbe", container.path("startupProbe"),
                        "lifecycle.postStart", container.at("/lifecycle/postStart"),
                        "lifecycle.preStop", container.at("/lifecycle/preStop"));
        handlers.forEach(
                (handler, node) -> {
                    for (String action : List.of("httpGet", "tcpSocket")) {
                        String host = node.path(action).path("host").asText("");
                        if (!host.isEmpty()) {
                            found.add(
                                    new Violation(
                                            Rule.HOST_PROBES,
                                            where,
                                            handler + "." + action + ".host " + host));
                        }
                    }
                });
    }
}
