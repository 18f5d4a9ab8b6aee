package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path tmp;

    private Path yaml(String text) throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void appliesFileThenEnvironmentThenCommandLine() throws Exception {
        Path file =
                yaml(
                        """
                        personalize:
                          dedup:
                            horizon: 2 h
                          watermark.out-of-orderness: 1 min
                          tables.namespace: from_file
                        parallelism.default: 3
                        """);
        Map<String, String> env =
                Map.of(
                        ConfigLoader.PROPERTIES_ENV,
                        "personalize.dedup.horizon: 3 h\npersonalize.tables.namespace=from_env");

        Configuration conf =
                ConfigLoader.load(file, env, List.of("personalize.tables.namespace=from_cli"));

        assertThat(conf.get(PersonalizeOptions.DEDUP_HORIZON)).isEqualTo(Duration.ofHours(3));
        assertThat(conf.get(PersonalizeOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(PersonalizeOptions.NAMESPACE)).isEqualTo("from_cli");
        assertThat(conf.getString("parallelism.default", null)).isEqualTo("3");
        assertThat(conf.get(PersonalizeOptions.MAX_EVENT_BYTES)).isEqualTo(64 * 1024);
    }

    @Test
    void refusesAnUnknownOptionOfOursNamingIt() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.load(
                                        null, Map.of(), List.of("personalize.dedup.horizn=1 h")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.dedup.horizn");
    }

    @Test
    void refusesAValueOfTheWrongTypeNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                ConfigLoader.load(
                                        null, Map.of(), List.of("personalize.dedup.horizon=soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.dedup.horizon");
    }

    @Test
    void turnsOffKryoAndBoundsRestartsUnlessTheUserSaysOtherwise() {
        Configuration conf =
                ConfigLoader.withJobDefaults(
                        ConfigLoader.load(
                                null, Map.of(), List.of("personalize.restart.attempts=7")));

        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.getString("restart-strategy.type", null)).isEqualTo("fixed-delay");
        assertThat(conf.getString("restart-strategy.fixed-delay.attempts", null)).isEqualTo("7");
        assertThat(conf.getString("execution.checkpointing.interval", null)).isEqualTo("10000 ms");
    }

    @Test
    void demandsAHashingSecret() {
        assertThatThrownBy(() -> JobSettings.from(new Configuration(), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PERSONALIZE_HASH_SECRET");
    }

    @Test
    void refusesAnOrderHorizonShorterThanTheRetention() {
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.EVENT_RETENTION, java.time.Duration.ofDays(500));

        assertThatThrownBy(() -> JobSettings.from(conf, "0123456789abcdef0123"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.features.order-horizon (400 d)")
                .hasMessageContaining("personalize.events.retention (500 d)");
    }

    @Test
    void readsTheConsentDefaultAndTheGuestRowsChoiceAndRefusesOtherValues() {
        Configuration conf = new Configuration();
        assertThat(JobSettings.from(conf, "0123456789abcdef0123").features().consentDefault())
                .isNull();
        assertThat(JobSettings.from(conf, "0123456789abcdef0123").skipGuestRows()).isTrue();

        conf.set(PersonalizeOptions.INPUT_CONSENT_DEFAULT, "granted");
        conf.set(PersonalizeOptions.INPUT_GUEST_ROWS, "keep");
        JobSettings settings = JobSettings.from(conf, "0123456789abcdef0123");
        assertThat(settings.features().consentDefault()).isTrue();
        assertThat(settings.skipGuestRows()).isFalse();

        conf.set(PersonalizeOptions.INPUT_CONSENT_DEFAULT, "yes");
        assertThatThrownBy(() -> JobSettings.from(conf, "0123456789abcdef0123"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.input.consent-default");
    }

    @Test
    void everyOptionIsDocumentedInTheReadme() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));

        assertThat(ConfigLoader.knownKeys())
                .allSatisfy(key -> assertThat(readme).contains("`" + key + "`"));
    }
}
