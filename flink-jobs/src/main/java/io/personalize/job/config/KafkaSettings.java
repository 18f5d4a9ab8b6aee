package io.personalize.job.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The Kafka events source and decisions sink, checked at start.
 *
 * <pre>{@code
 * KafkaSettings kafka = KafkaSettings.from(conf);
 * PipelineInput input = KafkaInputs.of(env, kafka, InputFormat.ENVELOPE);
 * }</pre>
 *
 * @param clientProperties extra client properties (security, credentials) for source and sink:
 *     {@code personalize.kafka.properties} with the properties file merged over it
 * @param decisionsTopic {@code null}: no Kafka decisions sink
 * @param stopAtLatest read the events topic only up to the offsets it has at start, then end (a
 *     bounded run: tests, a one-off catch-up); never set by the configuration
 */
public record KafkaSettings(
        String bootstrapServers,
        String eventsTopic,
        String groupId,
        StartingOffsets startingOffsets,
        Map<String, String> clientProperties,
        String decisionsTopic,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        boolean stopAtLatest)
        implements Serializable {

    /** Where a job without a checkpoint starts reading the events topic. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        /** The group's committed offsets; earliest for partitions without one. */
        COMMITTED
    }

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * @throws ConfigException when a value is invalid or the properties file cannot be read
     */
    public static KafkaSettings from(Configuration conf) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> inline = conf.get(PersonalizeOptions.KAFKA_PROPERTIES);
        if (inline != null) {
            properties.putAll(inline);
        }
        String file = conf.get(PersonalizeOptions.KAFKA_PROPERTIES_FILE);
        if (file != null) {
            properties.putAll(readProperties(Path.of(file)));
        }
        return new KafkaSettings(
                conf.get(PersonalizeOptions.KAFKA_BOOTSTRAP_SERVERS),
                conf.get(PersonalizeOptions.KAFKA_EVENTS_TOPIC),
                conf.get(PersonalizeOptions.KAFKA_GROUP_ID),
                startingOffsets(conf.get(PersonalizeOptions.KAFKA_STARTING_OFFSETS)),
                properties,
                conf.get(PersonalizeOptions.KAFKA_DECISIONS_TOPIC),
                deliveryGuarantee(conf.get(PersonalizeOptions.KAFKA_DELIVERY_GUARANTEE)),
                conf.get(PersonalizeOptions.KAFKA_TRANSACTIONAL_ID_PREFIX),
                false);
    }

    /** The same, reading the events topic only up to the offsets it has at start. */
    public KafkaSettings withStopAtLatest() {
        return new KafkaSettings(
                bootstrapServers,
                eventsTopic,
                groupId,
                startingOffsets,
                clientProperties,
                decisionsTopic,
                deliveryGuarantee,
                transactionalIdPrefix,
                true);
    }

    /** Checks what the events source needs. */
    public KafkaSettings requireEventsSource() {
        requireServers();
        if (eventsTopic == null || eventsTopic.isBlank()) {
            throw new ConfigException(
                    "set personalize.kafka.events-topic (the input source reads Kafka)");
        }
        return this;
    }

    /** Whether decisions go to a Kafka topic too. */
    public boolean writesDecisions() {
        return decisionsTopic != null && !decisionsTopic.isBlank();
    }

    /** Checks what the decisions sink needs. */
    public KafkaSettings requireDecisionsSink() {
        requireServers();
        return this;
    }

    /** The extra client properties, as Kafka's clients take them. */
    public Properties properties() {
        Properties out = new Properties();
        out.putAll(clientProperties);
        return out;
    }

    private void requireServers() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("set personalize.kafka.bootstrap-servers");
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Properties read = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            read.load(reader);
        } catch (IOException e) {
            // the message names the file, never its content (credentials)
            throw new ConfigException("personalize.kafka.properties-file: cannot read " + file);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : read.stringPropertyNames()) {
            out.put(name, read.getProperty(name));
        }
        return out;
    }

    static StartingOffsets startingOffsets(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "earliest" -> StartingOffsets.EARLIEST;
            case "latest" -> StartingOffsets.LATEST;
            case "committed" -> StartingOffsets.COMMITTED;
            default ->
                    throw new ConfigException(
                            "personalize.kafka.starting-offsets: '"
                                    + text
                                    + "' is not earliest, latest or committed");
        };
    }

    static DeliveryGuarantee deliveryGuarantee(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default ->
                    throw new ConfigException(
                            "personalize.kafka.delivery-guarantee: '"
                                    + text
                                    + "' is not at-least-once or exactly-once");
        };
    }

    /**
     * Never prints the client properties: they may hold credentials.
     *
     * @return a description without secrets
     */
    @Override
    public String toString() {
        return "KafkaSettings{servers="
                + bootstrapServers
                + ", events="
                + eventsTopic
                + ", group="
                + groupId
                + ", start="
                + startingOffsets
                + ", decisions="
                + decisionsTopic
                + ", "
                + deliveryGuarantee
                + ", properties="
                + clientProperties.keySet()
                + "}";
    }
}
