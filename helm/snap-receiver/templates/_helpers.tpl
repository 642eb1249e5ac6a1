{{- define "snap.name" -}}{{ .Release.Name }}-snap-receiver{{- end -}}
{{- define "snap.pod" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  fsGroup: 1000
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
    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    envFrom:
      - configMapRef: { name: {{ include "snap.name" . }} }
      - secretRef: { name: {{ .Values.existingSecret }} }
    env:
      - { name: ROLE, value: {{ .role }} }
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
    resources: {{- toYaml .resources | nindent 6 }}
volumes:
  - { name: tmp, emptyDir: {} }
{{- end -}}
