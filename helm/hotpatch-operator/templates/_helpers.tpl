{{/* Chart name, shortened to the 63 characters a label value allows. */}}
{{- define "hotpatch-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: the release name, plus the chart name unless it already holds it. */}}
{{- define "hotpatch-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "hotpatch-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hotpatch-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hotpatch-operator
{{- end }}

{{/* Labels that select the operator pods; never change them, Deployment selectors are immutable. */}}
{{- define "hotpatch-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hotpatch-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Name of the operator's ServiceAccount. */}}
{{- define "hotpatch-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hotpatch-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false: set it to an existing ServiceAccount" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret holding the serving key pair (tls.crt, tls.key) and the CA (ca.crt). */}}
{{- define "hotpatch-operator.tlsSecretName" -}}
{{ include "hotpatch-operator.fullname" . }}-tls
{{- end }}

{{/* DNS names the serving certificate must cover: the Service, as the API server and the sidecars reach it. */}}
{{- define "hotpatch-operator.serviceDnsNames" -}}
{{- $svc := include "hotpatch-operator.fullname" . -}}
{{- list $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) | toJson }}
{{- end }}

{{/* Image reference; the tag defaults to the chart's appVersion. */}}
{{- define "hotpatch-operator.image" -}}
{{- printf "%s:%s" .repository (default .appVersion .tag) }}
{{- end }}

{{/* Name of the Lease the replicas elect their leader with; fixed in the operator (LeaderElection). */}}
{{- define "hotpatch-operator.leaseName" -}}
hotpatch-operator-leader
{{- end }}

{{/* Namespace label that opts a namespace in to sidecar injection. */}}
{{- define "hotpatch-operator.namespaceInjectionLabel" -}}
hotpatch.io/injection
{{- end }}

{{/* Pod label that opts a pod in to sidecar injection. */}}
{{- define "hotpatch-operator.podInjectionLabel" -}}
hotpatch.io/inject
{{- end }}
