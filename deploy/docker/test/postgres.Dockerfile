# Test only: Debian's PostgreSQL 15, for machines that reach no container registry (CI here). compose.yaml uses postgres.
ARG DEBIAN_IMAGE=facefarm/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY postgres.sh /opt/stack/postgres.sh
EXPOSE 5432
USER postgres
ENTRYPOINT ["/bin/bash", "/opt/stack/postgres.sh"]
