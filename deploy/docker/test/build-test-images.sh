#!/usr/bin/env bash
# Test only: builds facefarm-test/kafka, facefarm-test/s3 and facefarm-test/postgres for ContainerFarmTest on machines that
# reach no container registry, from facefarm/debian:bookworm and facefarm/jre:17 (deploy/docker/base-image.sh) and the
# jars of the last Maven build of the deploy module (deploy/target/classpath.txt and deploy/target/classes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
deploy="$(cd "$here/../.." && pwd)"
contexts="$deploy/target/test-images"
rm -rf "$contexts"
mkdir -p "$contexts/stack/lib"
# the broker and the S3 server need no natives
tr ':' '\n' < "$deploy/target/classpath.txt" | grep -vE 'bytedeco|onnxruntime|/facefarm-(worker|coordinator)' | while read -r jar; do
    [ -n "$jar" ] && { cp -l "$jar" "$contexts/stack/lib/" 2>/dev/null || cp "$jar" "$contexts/stack/lib/"; }
done
(cd "$deploy/target/classes" && jar cf "$contexts/stack/lib/facefarm-deploy-stack.jar" facefarm/deploy/stack)
cp "$here/kafka.sh" "$contexts/stack/"
mkdir -p "$contexts/postgres"
cp "$here/postgres.sh" "$contexts/postgres/"
for image in kafka s3; do
    docker build -q -t "facefarm-test/$image:latest" -f "$here/$image.Dockerfile" "$contexts/stack" > /dev/null
    echo "facefarm-test/$image:latest"
done
docker build -q -t facefarm-test/postgres:latest -f "$here/postgres.Dockerfile" "$contexts/postgres" > /dev/null
echo facefarm-test/postgres:latest
