# Test only: a single-node KRaft Kafka from the Maven jars, for machines that reach no container registry (CI here).
# Operators run an official Kafka image or a managed Kafka; compose.yaml uses apache/kafka.
ARG BASE_IMAGE=facefarm/jre:17
FROM ${BASE_IMAGE}
COPY lib/ /opt/stack/lib/
COPY kafka.sh /opt/stack/kafka.sh
EXPOSE 9092
ENTRYPOINT ["/bin/bash", "/opt/stack/kafka.sh"]
