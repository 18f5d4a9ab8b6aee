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
    void aTemplatedEndpointTakesItsTemplateParamsIdsAndTheApisHeaders() {
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        """
                        endpoints:
                          klaviyo:
                            url: https://a.klaviyo.com/api/events
                            template: klaviyo-event
                            secret-env: KLAVIYO_KEY
                            template-ids: {tpl_browse_abandonment: Browse Abandonment}
                          braze:
                            url: https://rest.iad-01.braze.com/campaigns/trigger/send
                            template: braze-campaign-trigger
                            secret-env: BRAZE_KEY
                            headers: {x-request-source: personalize}
                        """,
                        "endpoints.yaml");
        Endpoint klaviyo = endpoints.get("klaviyo").orElseThrow();
        assertThat(klaviyo.template().name()).isEqualTo("klaviyo-event");
        assertThat(klaviyo.authScheme()).isEqualTo("Klaviyo-API-Key");
        assertThat(klaviyo.contentType()).isEqualTo("application/vnd.api+json");
        assertThat(klaviyo.headers()).containsEntry("revision", "2024-10-15");
        assertThat(klaviyo.authorization(Map.of("KLAVIYO_KEY", "pk_123\n")))
                .isEqualTo("Klaviyo-API-Key pk_123");
        Endpoint braze = endpoints.get("braze").orElseThrow();
        assertThat(braze.authScheme()).isEqualTo("Bearer");
        assertThat(braze.headers()).containsExactly(Map.entry("x-request-source", "personalize"));
        assertThat(klaviyo.body(SentDecisions.browseAbandonment()))
                .contains("\"external_id\": \"42\"");
    }

    @Test
    void aBadTemplateOrAMissingParamStopsTheStartNamingTheProblem(@TempDir Path tmp)
            throws Exception {
        Files.writeString(tmp.resolve("mine.mustache"), "{\"a\": {{#flow_id}}}");
        assertThatThrownBy(
                        () ->
                                DeliveryEndpoints.parse(
                                        """
                                        endpoints:
                                          sendgrid:
                                            url: https://api.sendgrid.com/v3/mail/send
                                            template: sendgrid-mail-send
                                            secret-env: SG
                                          other:
                                            url: https://x.example.com/
                                            template: mailchimp
                                            secret-env: X
                                          mine:
                                            url: https://x.example.com/
                                            template-file: mine.mustache
                                            secret-env: X
                                          plain:
                                            url: https://x.example.com/
                                            secret-env: X
                                            params: {a: b}
                                        """,
                                        tmp.resolve("endpoints.yaml").toString()))
                .hasMessageContaining(
                        "endpoints.sendgrid.params.from_email: required, the template"
                                + " sendgrid-mail-send reads it")
                .hasMessageContaining("endpoints.other.template: no shipped template 'mailchimp'")
                .hasMessageContaining(
                        "endpoints.mine.template-file: template mine.mustache does not compile")
                .hasMessageContaining(
                        "endpoints.plain.params: only for an endpoint with a template");
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
