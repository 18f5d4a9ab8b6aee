{{/*
Names and labels, as the Flink Kubernetes Operator's chart makes them.
*/}}

{{/*
Expand the name of the chart.
*/}}
{{- define "personalize.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A fully qualified name: the release name, with the chart name appended unless the release name
already contains it. Truncated to 45 characters: the operator derives longer names from it (the
"-rest" service, "-taskmanager-1-1" pods, "-cluster-config-map" for HA).
*/}}
{{- define "personalize.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "personalize.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "personalize.labels" -}}
{{ include "personalize.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: personalize
helm.sh/chart: {{ include "personalize.chart" . }}
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "personalize.selectorLabels" -}}
app.kubernetes.io/name: {{ include "personalize.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The ConfigMap with the job configuration, endpoints and definitions.
*/}}
{{- define "personalize.configMapName" -}}
{{- printf "%s-config" (include "personalize.fullname" .) }}
{{- end }}

{{/*
The job image with its tag (or digest).
*/}}
{{- define "personalize.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Where the job reads its files inside the pods.
*/}}
{{- define "personalize.configDir" -}}/opt/personalize/config{{- end }}
{{- define "personalize.modelsDir" -}}/opt/personalize/models{{- end }}
{{- define "personalize.secretsDir" -}}/opt/personalize/secrets{{- end }}
{{- define "personalize.stateDir" -}}/opt/personalize/state{{- end }}

{{/*
Labels the Flink Kubernetes Operator (native mode) puts on the pods of the cluster: app is the
cluster id, which is the FlinkDeployment's name.
*/}}
{{- define "personalize.clusterPodLabels" -}}
app: {{ include "personalize.fullname" . }}
type: flink-native-kubernetes
{{- end }}

{{/*
The pods of one role: call with (dict "context" $ "component" "jobmanager"|"taskmanager").
*/}}
{{- define "personalize.rolePodLabels" -}}
{{ include "personalize.clusterPodLabels" .context }}
component: {{ .component }}
{{- end }}

{{/*
NetworkPolicy egress rules from a list of {to, ports}; a rule without peers leaves `to` out (any
address on its ports).
*/}}
{{- define "personalize.egressRules" -}}
{{- range . }}
{{- $rule := . }}
{{- if not $rule.to }}
{{- $rule = omit $rule "to" }}
{{- end }}
- {{ toYaml $rule | indent 2 | trim }}
{{- end }}
{{- end }}

{{/*
The egress rules networkPolicy.egress names for both roles (Kafka, catalog, object storage, extra).
*/}}
{{- define "personalize.namedEgress" -}}
{{- with .kafka }}
# Kafka.
{{- include "personalize.egressRules" . | trim | nindent 0 }}
{{- end }}
{{- with .catalog }}
# The Iceberg catalog.
{{- include "personalize.egressRules" . | trim | nindent 0 }}
{{- end }}
{{- with .objectStorage }}
# Object storage.
{{- include "personalize.egressRules" . | trim | nindent 0 }}
{{- end }}
{{- with .extra }}
# Anything else networkPolicy.egress.extra names.
{{- include "personalize.egressRules" . | trim | nindent 0 }}
{{- end }}
{{- end }}
