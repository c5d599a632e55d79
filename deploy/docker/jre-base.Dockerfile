# A Debian JRE base for machines that reach no container registry (CI here): FROM an image imported from debootstrap
# (see base-image.sh), with Debian's OpenJDK 17 runtime. Pass it as BASE_IMAGE to the coordinator and worker images.
ARG DEBIAN_IMAGE=facefarm/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
