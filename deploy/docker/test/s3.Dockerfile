# Test only: an S3 API (s3proxy over a folder) for machines that reach no container registry (CI here). Operators run
# MinIO or a cloud object store; compose.yaml uses the MinIO server.
ARG BASE_IMAGE=facefarm/jre:17
FROM ${BASE_IMAGE}
COPY lib/ /opt/stack/lib/
RUN mkdir -p /data
EXPOSE 9000
ENTRYPOINT ["java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", "/opt/stack/lib/*", "facefarm.deploy.stack.S3ServerMain"]
