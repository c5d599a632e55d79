# A GPU worker: one process per GPU, ONNX Runtime's CUDA/TensorRT build (onnxruntime_gpu, CUDA 12 + cuDNN 9) on an NVIDIA
# CUDA runtime base, and NVENC for mp4 chunks. Run it with --gpus (Docker) or a nvidia.com/gpu resource (Kubernetes).
# Context: deploy/target/images/worker-gpu (deploy/docker/build-images.sh assembles it from worker/gpu/target/classpath.txt).
ARG BASE_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
FROM ${BASE_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/* \
    && (getent group facefarm || groupadd --system --gid 10001 facefarm) \
    && (getent passwd facefarm || useradd --system --uid 10001 --gid facefarm --home-dir /var/lib/facefarm --create-home facefarm) \
    && mkdir -p /var/lib/facefarm/work /var/lib/facefarm/natives /models && chown -R facefarm:facefarm /var/lib/facefarm /models
COPY --chown=root:root lib/ /opt/facefarm/worker/lib/
COPY --chown=root:root health-check.sh /opt/facefarm/health-check.sh
# NVIDIA_DRIVER_CAPABILITIES: video adds the NVENC library to what the container toolkit mounts
ENV ORT_DISABLE_TELEMETRY=1 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,video \
    FARM_HOME=/var/lib/facefarm \
    FARM_WORK_DIR=/var/lib/facefarm/work \
    FARM_MODEL_PATH=/models \
    FARM_OFFLINE=1 \
    FARM_HEALTH_HOST=0.0.0.0 \
    FARM_HEALTH_PORT=8081 \
    FARM_EXECUTION_PROVIDERS=tensorrt,cuda,cpu \
    FARM_GPU_DEVICE=0 \
    FARM_VIDEO_ENCODER=auto \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Dorg.bytedeco.javacpp.cachedir=/var/lib/facefarm/natives/javacpp -Djava.util.logging.manager=facefarm.worker.WorkerLogManager"
USER 10001:10001
WORKDIR /var/lib/facefarm
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 CMD ["/bin/bash", "/opt/facefarm/health-check.sh", "8081", "/health/ready"]
ENTRYPOINT ["java", "-cp", "/opt/facefarm/worker/lib/*", "facefarm.worker.WorkerMain"]
