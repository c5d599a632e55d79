# A CPU worker: the whole face pipeline on ONNX Runtime's CPU provider, FFmpeg and OpenCV natives for linux-x86_64.
# Context: deploy/target/images/worker (deploy/docker/build-images.sh assembles it from worker/target/classpath.txt).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
RUN (getent group facefarm || groupadd --system --gid 10001 facefarm) \
    && (getent passwd facefarm || useradd --system --uid 10001 --gid facefarm --home-dir /var/lib/facefarm --create-home facefarm) \
    && mkdir -p /var/lib/facefarm/work /var/lib/facefarm/natives /models && chown -R facefarm:facefarm /var/lib/facefarm /models
COPY --chown=root:root lib/ /opt/facefarm/worker/lib/
COPY --chown=root:root health-check.sh /opt/facefarm/health-check.sh
# ORT_DISABLE_TELEMETRY: ONNX Runtime must not call home. Models come from FARM_MODEL_PATH (a read-only model cache).
ENV ORT_DISABLE_TELEMETRY=1 \
    FARM_HOME=/var/lib/facefarm \
    FARM_WORK_DIR=/var/lib/facefarm/work \
    FARM_MODEL_PATH=/models \
    FARM_OFFLINE=1 \
    FARM_HEALTH_HOST=0.0.0.0 \
    FARM_HEALTH_PORT=8081 \
    FARM_EXECUTION_PROVIDERS=cpu \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Dorg.bytedeco.javacpp.cachedir=/var/lib/facefarm/natives/javacpp -Djava.util.logging.manager=facefarm.worker.WorkerLogManager"
USER 10001:10001
WORKDIR /var/lib/facefarm
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/bin/bash", "/opt/facefarm/health-check.sh", "8081", "/health/ready"]
# exec form: java is PID 1, so SIGTERM reaches the worker, which hands its chunk back before it exits
ENTRYPOINT ["java", "-cp", "/opt/facefarm/worker/lib/*", "facefarm.worker.WorkerMain"]
