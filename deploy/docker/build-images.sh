#!/usr/bin/env bash
# Builds the farm's images from this checkout: facefarm/coordinator, facefarm/worker and, with --gpu, facefarm/worker-gpu.
#
#   deploy/docker/build-images.sh [--gpu] [--tag TAG] [--base IMAGE] [--gpu-base IMAGE] [--no-maven]
#
# --base      the JRE base of the coordinator and the CPU worker (default: eclipse-temurin:17-jre, an official JRE image;
#             where no registry is reachable, deploy/docker/base-image.sh makes facefarm/jre:17 from debootstrap)
# --gpu-base  the GPU worker's NVIDIA CUDA runtime base (default: nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04)
# --no-maven  use the jars the last Maven build made instead of building (./mvnw -DskipTests install) first
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tag=latest base="" gpu_base="" gpu=false maven=true
while [ $# -gt 0 ]; do
    case "$1" in
        --gpu) gpu=true ;;
        --tag) tag="$2"; shift ;;
        --base) base="$2"; shift ;;
        --gpu-base) gpu_base="$2"; shift ;;
        --no-maven) maven=false ;;
        *) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    esac
    shift
done
modules=common,common/storage,models,worker,coordinator
$gpu && modules="$modules,worker/gpu"
if $maven; then
    (cd "$root" && ./mvnw -B -q -DskipTests install -pl "$modules")
fi
contexts="$root/deploy/target/images"
rm -rf "$contexts"
mkdir -p "$contexts"

# a context per image: the Dockerfile's files, with jars hard-linked where the file system allows (no copies)
link() { cp -l "$1" "$2" 2>/dev/null || cp "$1" "$2"; }
worker_context() { # name classpath-file module-jar
    local dir="$contexts/$1"
    mkdir -p "$dir/lib"
    tr ':' '\n' < "$2" | while read -r jar; do [ -n "$jar" ] && link "$jar" "$dir/lib/"; done
    [ -n "$3" ] && link "$3" "$dir/lib/"
    cp "$root/deploy/docker/health-check.sh" "$dir/"
}
mkdir -p "$contexts/coordinator"
cp -r "$root/coordinator/target/quarkus-app" "$contexts/coordinator/"
cp "$root/deploy/docker/health-check.sh" "$contexts/coordinator/"
worker_context worker "$root/worker/target/classpath.txt" "$(ls "$root"/worker/target/facefarm-worker-*.jar | grep -v tests | head -1)"
$gpu && worker_context worker-gpu "$root/worker/gpu/target/classpath.txt" ""

build() { # name base
    local args=(-q -t "facefarm/$1:$tag" -f "$root/deploy/docker/$1.Dockerfile")
    [ -n "$2" ] && args+=(--build-arg "BASE_IMAGE=$2")
    docker build "${args[@]}" "$contexts/$1" > /dev/null
    echo "facefarm/$1:$tag"
}
build coordinator "$base"
build worker "$base"
$gpu && build worker-gpu "$gpu_base"
exit 0
