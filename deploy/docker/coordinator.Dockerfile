# The coordinator: a control plane (REST/SSE, PostgreSQL, Kafka, scheduling), no natives, on a plain JRE.
# Context: deploy/target/images/coordinator (deploy/docker/build-images.sh assembles it from coordinator/target/quarkus-app).
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
RUN (getent group facefarm || groupadd --system --gid 10001 facefarm) \
    && (getent passwd facefarm || useradd --system --uid 10001 --gid facefarm --home-dir /var/lib/facefarm --create-home facefarm)
COPY --chown=root:root quarkus-app/ /opt/facefarm/coordinator/
COPY --chown=root:root health-check.sh /opt/facefarm/health-check.sh
ENV FARM_HTTP_HOST=0.0.0.0 \
    FARM_HTTP_PORT=8080 \
    QUARKUS_ANALYTICS_DISABLED=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1"
USER 10001:10001
WORKDIR /var/lib/facefarm
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/bin/bash", "/opt/facefarm/health-check.sh", "8080", "/q/health/ready"]
# exec form: java is PID 1 and receives SIGTERM, and Quarkus shuts down gracefully
ENTRYPOINT ["java", "-jar", "/opt/facefarm/coordinator/quarkus-run.jar"]
