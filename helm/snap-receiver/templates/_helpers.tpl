{{- define "snap.name" -}}{{ .Release.Name }}-snap-receiver{{- end -}}
{{- define "snap.image" -}}
{{ .Values.image.repository }}{{ if .Values.image.digest }}@{{ .Values.image.digest }}{{ else }}:{{ .Values.image.tag }}{{ end }}
{{- end -}}
{{- define "snap.podMeta" -}}
labels: { app.kubernetes.io/name: snap-receiver, app.kubernetes.io/component: {{ .role }} }
annotations:
  # a changed setting rolls the pods (environment variables are read once, at boot)
  checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
  {{- with .Values.podAnnotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}
{{- define "snap.pod" -}}
# the service never talks to the Kubernetes API
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  fsGroup: 1000
  seccompProfile: { type: RuntimeDefault }
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: { matchLabels: { app.kubernetes.io/name: snap-receiver, app.kubernetes.io/component: {{ .role }} } }
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector: { matchLabels: { app.kubernetes.io/name: snap-receiver, app.kubernetes.io/component: {{ .role }} } }
containers:
  - name: snap-receiver
    image: {{ include "snap.image" . | quote }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    {{- if .nodeArgs }}
    # V8 flags before the entry point (the image's CMD otherwise); tini stays PID 1
    args:
      - node
      {{- range .nodeArgs }}
      - {{ . | quote }}
      {{- end }}
      - dist/main.js
    {{- end }}
    envFrom:
      - configMapRef: { name: {{ include "snap.name" . }} }
      - secretRef: { name: {{ .Values.existingSecret }} }
    env:
      - { name: ROLE, value: {{ .role }} }
      {{- if .Values.partners }}
      - { name: PARTNERS_FILE, value: /etc/snap-receiver/partners.yaml }
      {{- end }}
      {{- if .Values.merchantKey.secretName }}
      - { name: MERCHANT_PRIVATE_KEY_FILE, value: /etc/snap-merchant-key/{{ .Values.merchantKey.key }} }
      {{- end }}
    ports:
      {{- if eq .role "api" }}
      - { name: http, containerPort: 8080 }
      {{- end }}
      - { name: admin, containerPort: 9090 }
    livenessProbe: { httpGet: { path: /livez, port: admin }, periodSeconds: 10 }
    readinessProbe: { httpGet: { path: /readyz, port: admin }, periodSeconds: 5 }
    startupProbe: { httpGet: { path: /livez, port: admin }, failureThreshold: 30, periodSeconds: 2 }
    lifecycle:
      # let the endpoints controller drop the pod before SIGTERM starts the drain
      preStop: { exec: { command: ["node", "-e", "setTimeout(()=>{},5000)"] } }
    securityContext:
      runAsNonRoot: true
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: { drop: [ALL] }
    volumeMounts:
      - { name: tmp, mountPath: /tmp }
      {{- if .Values.partners }}
      # a directory mount (not subPath): the kubelet swaps it on a change and the service reloads
      - { name: partners, mountPath: /etc/snap-receiver, readOnly: true }
      {{- end }}
      {{- if .Values.merchantKey.secretName }}
      - { name: merchant-key, mountPath: /etc/snap-merchant-key, readOnly: true }
      {{- end }}
    resources: {{- toYaml .resources | nindent 6 }}
volumes:
  - { name: tmp, emptyDir: {} }
  {{- if .Values.partners }}
  - { name: partners, configMap: { name: {{ include "snap.name" . }}-partners } }
  {{- end }}
  {{- if .Values.merchantKey.secretName }}
  - { name: merchant-key, secret: { secretName: {{ .Values.merchantKey.secretName }}, defaultMode: 288 } } # 0440: owner and fsGroup read
  {{- end }}
{{- end -}}
{{- define "snap.tokenMode" -}}
{{- range (.Values.partners.partners | default list) }}{{ if eq (.auth | default "") "snap-symmetric" }}true{{ end }}{{ end -}}
{{- end -}}
