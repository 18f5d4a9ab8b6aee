# The job image for the Flink Kubernetes Operator: the official Flink image plus the job jar.
#
#   mvn -B -Pcluster-jar -DskipTests package -pl flink-jobs -am   # target/personalize-cluster.jar, target/usrlib/
#   docker build -t registry.example.com/personalize:0.1.0 .
#
# Keep the Flink image's version equal to flink.version in pom.xml (a test checks it).
# personalize-cluster.jar is the job without the Flink runtime the image already has (see the
# cluster-jar profile in flink-jobs/pom.xml). The fat personalize.jar works too (Flink loads its
# own classes parent-first) but is 100 MB larger: JAR=flink-jobs/target/personalize.jar.
ARG FLINK_IMAGE=flink:2.1.1-java17
FROM ${FLINK_IMAGE}

ARG JAR=flink-jobs/target/personalize-cluster.jar
# File system plugins from the image's opt/ to enable: checkpoints, savepoints and HA metadata on
# S3 (s3://, s3a://). Others: flink-gs-fs-hadoop, flink-azure-fs-hadoop, flink-oss-fs-hadoop.
ARG FS_PLUGINS="flink-s3-fs-hadoop"

# Plugins each live in a folder of their own under plugins/. The Prometheus reporter ships there
# already (plugins/metrics-prometheus); older images kept it in opt/, so copy it when missing.
RUN set -eu; \
    for plugin in ${FS_PLUGINS}; do \
      mkdir -p "/opt/flink/plugins/${plugin}"; \
      cp /opt/flink/opt/${plugin}-*.jar "/opt/flink/plugins/${plugin}/"; \
    done; \
    if ! ls /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar >/dev/null 2>&1; then \
      mkdir -p /opt/flink/plugins/metrics-prometheus; \
      cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/; \
    fi

# job.jarURI in the chart: local:///opt/flink/usrlib/personalize.jar. Every jar in usrlib/ is on
# the job's class path: the AWS SDK bundle lets Iceberg's S3FileIO write tables to s3://.
COPY --chown=flink:flink ${JAR} /opt/flink/usrlib/personalize.jar
COPY --chown=flink:flink flink-jobs/target/usrlib/ /opt/flink/usrlib/
