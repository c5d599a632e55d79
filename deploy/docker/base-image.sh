#!/usr/bin/env bash
# Builds facefarm/jre:17, a Debian bookworm image with OpenJDK 17, without any container registry: debootstrap a
# minimal Debian from the apt mirror this machine uses, import it as facefarm/debian:bookworm (once; delete the image
# to refresh it), then add the JRE.
# Usage: deploy/docker/base-image.sh [MIRROR]   (needs root, debootstrap and a running Docker daemon)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
configured="$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) | grep -v '^\s*#' \
    | grep -oE 'https?://[^ ]+' | grep -v security | head -1 || true)"
mirror="${1:-$configured}"
mirror="${mirror:-http://deb.debian.org/debian}"
if ! docker image inspect facefarm/debian:bookworm > /dev/null 2>&1; then
    rootfs="$(mktemp -d)"
    trap 'rm -rf "$rootfs"' EXIT
    # mktemp's 0700 would become the image's / and lock every user but root out of it
    chmod 755 "$rootfs"
    echo "debootstrap bookworm from $mirror" >&2
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; exit 1; }
    # the image's apt reads the same mirror
    echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
    tar -C "$rootfs" -c . | docker import - facefarm/debian:bookworm > /dev/null
    rm -f "$rootfs.log"
fi
# Docker's build cache makes this quick after the first time
docker build -q -t facefarm/jre:17 -f "$here/jre-base.Dockerfile" "$here" > /dev/null
echo facefarm/jre:17
