{{/*
The FlinkDeployment's flinkConfiguration, as YAML (a map of strings): what the chart sets from the
values, then .Values.flinkConfiguration over it, then what the chart always enforces. Read it with
(include "personalize.flinkConfiguration" . | fromYaml); the NetworkPolicies take their ports from it.
*/}}
{{- define "personalize.flinkConfiguration" -}}
{{- $flink := dict
  "taskmanager.numberOfTaskSlots" (toString .Values.taskManager.taskSlots)
  "execution.checkpointing.dir" .Values.checkpoints.dir
  "execution.checkpointing.savepoint-dir" .Values.checkpoints.savepointDir
  "execution.checkpointing.num-retained" (toString .Values.checkpoints.numRetained)
  "execution.checkpointing.incremental" (toString .Values.checkpoints.incremental)
  "state.backend.type" .Values.checkpoints.stateBackend
-}}
{{- /*
Fixed ports, so that the NetworkPolicies can name them. Native Kubernetes pins the first four
itself (with HA the JobManager's RPC port is jobmanager.rpc.port too); the data port and the
metric query service port are random by default.
*/ -}}
{{- $_ := set $flink "rest.port" "8081" }}
{{- $_ := set $flink "jobmanager.rpc.port" "6123" }}
{{- $_ := set $flink "blob.server.port" "6124" }}
{{- $_ := set $flink "taskmanager.rpc.port" "6122" }}
{{- $_ := set $flink "taskmanager.data.port" "6121" }}
{{- $_ := set $flink "metrics.internal.query-service.port" "6125" }}
{{- /* The writable /tmp volume (writableVolumes.tmp). */ -}}
{{- $_ := set $flink "io.tmp.dirs" "/tmp" }}
{{- /* jobManager.podTemplate and taskManager.podTemplate merge over podTemplate by name. */ -}}
{{- $_ := set $flink "kubernetes.operator.pod-template.merge-arrays-by-name" "true" }}
{{- if .Values.highAvailability.enabled }}
{{- $_ := set $flink "high-availability.type" "kubernetes" }}
{{- $_ := set $flink "high-availability.storageDir" .Values.highAvailability.storageDir }}
{{- end }}
{{- if .Values.metrics.prometheus.enabled }}
{{- $_ := set $flink "metrics.reporter.prom.factory.class" "org.apache.flink.metrics.prometheus.PrometheusReporterFactory" }}
{{- $_ := set $flink "metrics.reporter.prom.port" (toString .Values.metrics.prometheus.port) }}
{{- end }}
{{- if .Values.s3.endpoint }}
{{- $_ := set $flink "s3.endpoint" .Values.s3.endpoint }}
{{- end }}
{{- if .Values.s3.pathStyleAccess }}
{{- $_ := set $flink "s3.path.style.access" "true" }}
{{- end }}
{{- with .Values.tls }}
{{- if or .internal .rest }}
{{- if not $.Values.secrets.tls.name }}
{{- fail "tls.internal and tls.rest need secrets.tls.name: the Secret with the keystore and truststore" }}
{{- end }}
{{- if or (not .keystorePassword) (not .truststorePassword) }}
{{- fail "tls.internal and tls.rest need tls.keystorePassword and tls.truststorePassword" }}
{{- end }}
{{- $dir := printf "%s/tls" (include "personalize.secretsDir" $) }}
{{- range $scope := list "internal" "rest" }}
{{- if index $.Values.tls $scope }}
{{- $prefix := printf "security.ssl.%s." $scope }}
{{- $_ := set $flink (print $prefix "enabled") "true" }}
{{- $_ := set $flink (print $prefix "keystore") (printf "%s/%s" $dir $.Values.secrets.tls.keystore) }}
{{- $_ := set $flink (print $prefix "keystore-type") $.Values.tls.storeType }}
{{- $_ := set $flink (print $prefix "keystore-password") $.Values.tls.keystorePassword }}
{{- $_ := set $flink (print $prefix "key-password") (default $.Values.tls.keystorePassword $.Values.tls.keyPassword) }}
{{- $_ := set $flink (print $prefix "truststore") (printf "%s/%s" $dir $.Values.secrets.tls.truststore) }}
{{- $_ := set $flink (print $prefix "truststore-type") $.Values.tls.storeType }}
{{- $_ := set $flink (print $prefix "truststore-password") $.Values.tls.truststorePassword }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- $flink = merge (deepCopy (default (dict) .Values.flinkConfiguration)) $flink }}
{{- if and .Values.highAvailability.enabled (not (hasKey $flink "high-availability.jobmanager.port")) }}
{{- /* With HA the JobManager's RPC port is this one (random by default). */ -}}
{{- $_ := set $flink "high-availability.jobmanager.port" (index $flink "jobmanager.rpc.port") }}
{{- end }}
{{- /*
No job upload (jar upload and run) through the REST API, whoever reaches it; no cancel button in
the web UI. Not overridable: the operator needs neither.
*/ -}}
{{- $_ := set $flink "web.submit.enable" "false" }}
{{- $_ := set $flink "web.cancel.enable" "false" }}
{{- range $key, $value := $flink }}
{{- $_ := set $flink $key (toString $value) }}
{{- end }}
{{- toYaml $flink }}
{{- end }}

{{/*
The ports of the cluster, from its Flink configuration, as YAML.
*/}}
{{- define "personalize.ports" -}}
{{- $flink := include "personalize.flinkConfiguration" . | fromYaml -}}
rest: {{ index $flink "rest.port" | int }}
jobManagerRpc: {{ index $flink "jobmanager.rpc.port" | int }}
jobManagerHaRpc: {{ index $flink "high-availability.jobmanager.port" | default (index $flink "jobmanager.rpc.port") | int }}
blob: {{ index $flink "blob.server.port" | int }}
taskManagerRpc: {{ index $flink "taskmanager.rpc.port" | int }}
data: {{ index $flink "taskmanager.data.port" | int }}
queryService: {{ index $flink "metrics.internal.query-service.port" | int }}
metrics: {{ .Values.metrics.prometheus.port | int }}
{{- end }}
