{{- define "facefarm.name" -}}{{ .Release.Name }}-facefarm{{- end -}}

{{- define "facefarm.labels" -}}
app.kubernetes.io/name: facefarm
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "facefarm.secretName" -}}
{{ .Values.secrets.name }}
{{- end -}}

{{- define "facefarm.image" -}}
{{ .root.Values.image.registry }}facefarm/{{ .name }}:{{ .root.Values.image.tag }}
{{- end -}}

{{/* the settings every farm process shares: Kafka, S3 and their secrets */}}
{{- define "facefarm.sharedEnv" -}}
- name: FARM_S3_ACCESS_KEY
  valueFrom: {secretKeyRef: {name: {{ include "facefarm.secretName" . }}, key: s3-access-key}}
- name: FARM_S3_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ include "facefarm.secretName" . }}, key: s3-secret-key}}
{{- if .Values.kafka.propertiesSecret }}
- name: FARM_KAFKA_PROPERTIES
  value: /etc/facefarm/kafka/kafka.properties
{{- end }}
{{- end -}}

{{- define "facefarm.kafkaVolume" -}}
{{- if .Values.kafka.propertiesSecret }}
- name: kafka-properties
  secret: {secretName: {{ .Values.kafka.propertiesSecret }}}
{{- end }}
{{- end -}}

{{- define "facefarm.kafkaMount" -}}
{{- if .Values.kafka.propertiesSecret }}
- {name: kafka-properties, mountPath: /etc/facefarm/kafka, readOnly: true}
{{- end }}
{{- end -}}

{{- define "facefarm.c2paVolume" -}}
{{- if .Values.c2pa.signingSecret }}
- name: c2pa-signing
  secret: {secretName: {{ .Values.c2pa.signingSecret }}}
{{- end }}
{{- end -}}

{{- define "facefarm.c2paMount" -}}
{{- if .Values.c2pa.signingSecret }}
- {name: c2pa-signing, mountPath: /etc/facefarm/c2pa, readOnly: true}
{{- end }}
{{- end -}}

{{- define "facefarm.c2paEnv" -}}
{{- if .Values.c2pa.signingSecret }}
- {name: FARM_C2PA_KEY, value: /etc/facefarm/c2pa/signing.key}
- {name: FARM_C2PA_CHAIN, value: /etc/facefarm/c2pa/signing-chain.pem}
{{- end }}
{{- end -}}
