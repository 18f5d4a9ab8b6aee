package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
    @TempDir Path tmp;

    @Test
    void readsTheKafkaOptionsWithTheirDefaults() {
        KafkaSettings kafka =
                KafkaSettings.from(
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.kafka.bootstrap-servers=broker:9092",
                                        "personalize.kafka.events-topic=events")));

        assertThat(kafka.requireEventsSource().eventsTopic()).isEqualTo("events");
        assertThat(kafka.groupId()).isEqualTo("personalize");
        assertThat(kafka.startingOffsets()).isEqualTo(KafkaSettings.StartingOffsets.COMMITTED);
        assertThat(kafka.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(kafka.writesDecisions()).isFalse();
        assertThat(kafka.stopAtLatest()).isFalse();
    }

    @Test
    void mergesThePropertiesFileOverTheInlinePropertiesAndNeverPrintsThem() throws Exception {
        Path secret = tmp.resolve("kafka.properties");
        Files.writeString(
                secret,
                "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"u\" password=\"s3cret\";\n");
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(
                yaml,
                """
                personalize:
                  kafka:
                    bootstrap-servers: broker:9093
                    properties:
                      security.protocol: SASL_SSL
                      sasl.mechanism: PLAIN
                """
                        + "    properties-file: "
                        + secret
                        + "\n");

        KafkaSettings kafka = KafkaSettings.from(ConfigLoader.load(yaml, Map.of(), List.of()));

        assertThat(kafka.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config");
        assertThat(kafka.toString()).doesNotContain("s3cret");
    }

    @Test
    void refusesUnknownStartingOffsetsAndDeliveryGuarantees() {
        Configuration offsets =
                ConfigLoader.load(
                        null, Map.of(), List.of("personalize.kafka.starting-offsets=newest"));
        Configuration guarantee =
                ConfigLoader.load(
                        null, Map.of(), List.of("personalize.kafka.delivery-guarantee=twice"));

        assertThatThrownBy(() -> KafkaSettings.from(offsets))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.kafka.starting-offsets");
        assertThatThrownBy(() -> KafkaSettings.from(guarantee))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.kafka.delivery-guarantee");
    }

    @Test
    void anEventsSourceNeedsServersAndATopic() {
        KafkaSettings none = KafkaSettings.from(new Configuration());

        assertThatThrownBy(none::requireEventsSource)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.kafka.bootstrap-servers");
    }

    @Test
    void exactlyOnceIsReadFromItsName() {
        KafkaSettings kafka =
                KafkaSettings.from(
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.kafka.delivery-guarantee=exactly-once",
                                        "personalize.kafka.decisions-topic=decisions")));

        assertThat(kafka.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(kafka.writesDecisions()).isTrue();
    }
}
