package io.personalize.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryEndpointsTest {

    @Test
    void readsEndpointsByIdWithDefaults() {
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        """
                        endpoints:
                          esp:
                            url: https://esp.example.com/hooks
                            secret-env: ESP_SECRET
                            timeout: 2s
                            rate-limit: 50
                          sms:
                            url: http://localhost:9000/t
                            secret-file: /run/secrets/sms
                        """,
                        "endpoints.yaml");
        Endpoint esp = endpoints.get("esp").orElseThrow();
        assertThat(esp.url().toString()).isEqualTo("https://esp.example.com/hooks");
        assertThat(esp.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(esp.ratePerSecond()).isEqualTo(50.0);
        Endpoint sms = endpoints.get("sms").orElseThrow();
        assertThat(sms.timeout()).isEqualTo(DeliveryEndpoints.DEFAULT_TIMEOUT);
        assertThat(sms.ratePerSecond()).isZero();
        assertThat(endpoints.get("other")).isEmpty();
        assertThat(endpoints.get(null)).isEmpty();
    }

    @Test
    void listsEveryProblemAndRefusesASecretInClear() {
        assertThatThrownBy(
                        () ->
                                DeliveryEndpoints.parse(
                                        """
                                        endpoints:
                                          a:
                                            url: ftp://nowhere
                                            secret: whsec_abc
                                            secret-env: A
                                          b:
                                            secret-env: B
                                            secret-file: /b
                                            timeout: soon
                                            rate-limit: -1
                                            retries: 3
                                        """,
                                        "endpoints.yaml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoints.yaml refused")
                .hasMessageContaining("endpoints.a.url: 'ftp://nowhere' is not an http(s) URL")
                .hasMessageContaining("endpoints.a.secret: a secret is never written")
                .hasMessageContaining("endpoints.b.url: required")
                .hasMessageContaining("endpoints.b: give exactly one of secret-env and secret-file")
                .hasMessageContaining("endpoints.b.timeout: 'soon'")
                .hasMessageContaining("endpoints.b.rate-limit")
                .hasMessageContaining("endpoints.b.retries: unknown key")
                .hasMessageNotContaining("whsec_abc");
    }

    @Test
    void resolvesTheSecretFromTheEnvironmentOrAFileAndNamesAMissingOne(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        "endpoints:\n"
                                + "  env: {url: 'http://h/x', secret-env: HOOK_SECRET}\n"
                                + "  file: {url: 'http://h/x', secret-file: '"
                                + file
                                + "'}\n",
                        "e.yaml");
        WebhookSignature fromEnv =
                endpoints
                        .get("env")
                        .orElseThrow()
                        .signer(Map.of("HOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        WebhookSignature fromFile = endpoints.get("file").orElseThrow().signer(Map.of());
        assertThat(fromFile.sign("id", 1, "{}")).isEqualTo(fromEnv.sign("id", 1, "{}"));
        assertThatThrownBy(() -> endpoints.get("env").orElseThrow().signer(Map.of()))
                .hasMessage(
                        "endpoint env: its signing secret (environment variable HOOK_SECRET) is"
                                + " missing or empty");
    }
}
