{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "voxguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* chart label: name-version */}}
{{- define "voxguard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Resource name of one service: "<release>-<service>", or "<service>" when the
release is already called like the chart. Call with (dict "root" $ "name" $name).
*/}}
{{- define "voxguard.serviceName" -}}
{{- if eq .root.Release.Name (include "voxguard.name" .root) -}}
{{- .name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select a service's pods (both tracks). */}}
{{- define "voxguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "voxguard.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Full label set; pass "track" (stable|canary) as well. */}}
{{- define "voxguard.labels" -}}
helm.sh/chart: {{ include "voxguard.chart" .root }}
{{ include "voxguard.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: voxguard
voxguard.io/environment: {{ .root.Values.global.environment | quote }}
{{- with .track }}
voxguard.io/track: {{ . }}
{{- end }}
{{- end -}}

{{/* Image reference; call with (dict "root" $ "svc" $svc "tag" $tagOverride). */}}
{{- define "voxguard.image" -}}
{{- $repo := .svc.image.repository -}}
{{- with .root.Values.global.imageRegistry -}}
{{- $repo = printf "%s/%s" (trimSuffix "/" .) $repo -}}
{{- end -}}
{{- $tag := .tag | default .svc.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" $repo (toString $tag) -}}
{{- end -}}

{{/* Whether a service takes part in the canary: "true" or "". */}}
{{- define "voxguard.hasCanary" -}}
{{- if and .root.Values.canary.enabled (has .name .root.Values.canary.services) -}}true{{- end -}}
{{- end -}}

{{/*
Replica split for a canary. Stable keeps its replicas (no capacity drop while the
canary runs); canary = ceil(replicas * weight / (100 - weight)), at least 1, so the
canary's share of pods (and of Service traffic) is as close to weight% as whole pods
allow. Returns "stable,canary".
*/}}
{{- define "voxguard.replicaSplit" -}}
{{- $replicas := int .svc.replicas -}}
{{- $weight := int .root.Values.canary.weight -}}
{{- if or (lt $weight 1) (gt $weight 99) -}}
{{- fail (printf "canary.weight must be between 1 and 99, got %d" $weight) -}}
{{- end -}}
{{- $rest := sub 100 $weight -}}
{{- $canary := max 1 (div (add (mul $replicas $weight) (sub $rest 1)) $rest) -}}
{{- printf "%d,%d" $replicas $canary -}}
{{- end -}}

{{/* Pod template shared by the stable and canary Deployments. */}}
{{- define "voxguard.podTemplate" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
metadata:
  labels:
    {{- include "voxguard.labels" . | nindent 4 }}
spec:
  {{- with $root.Values.global.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  automountServiceAccountToken: false
  securityContext:
    {{- toYaml $root.Values.global.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .name }}
      image: {{ include "voxguard.image" (dict "root" $root "svc" $svc "tag" .tag) | quote }}
      imagePullPolicy: {{ $root.Values.global.imagePullPolicy }}
      {{- with $svc.args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      env:
        - name: VOXGUARD_ENV
          value: {{ $root.Values.global.environment | quote }}
        - name: VOXGUARD_TRACK
          value: {{ .track | quote }}
        {{- with $svc.env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $svc.ports }}
      ports:
        {{- range . }}
        - name: {{ .name }}
          containerPort: {{ .containerPort }}
          protocol: {{ .protocol | default "TCP" }}
        {{- end }}
      {{- end }}
      {{- with $svc.probes }}
      {{- with .liveness }}
      livenessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .readiness }}
      readinessProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .startup }}
      startupProbe:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- end }}
      {{- with $svc.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.global.containerSecurityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end -}}
