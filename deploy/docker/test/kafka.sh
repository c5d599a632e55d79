#!/bin/bash
# Formats and starts a single-node KRaft broker advertised as $KAFKA_ADVERTISED_HOST:9092 (the container's network name).
set -euo pipefail
host="${KAFKA_ADVERTISED_HOST:-kafka}"
mkdir -p /var/lib/kafka
cat > /var/lib/kafka/server.properties <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:9093
listeners=PLAINTEXT://0.0.0.0:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://${host}:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=${KAFKA_PARTITIONS:-8}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
java_opts=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '/opt/stack/lib/*')
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
    java "${java_opts[@]}" kafka.tools.StorageTool format --standalone -t "$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid)" \
        -c /var/lib/kafka/server.properties > /dev/null
fi
exec java "${java_opts[@]}" kafka.Kafka /var/lib/kafka/server.properties
