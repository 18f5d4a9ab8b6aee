package io.personalize.job.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.conversions.Attribution;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryEndpoints;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.delivery.RetryPolicy;
import io.personalize.core.recommend.Recommendation;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.testing.TestConfig;
import io.personalize.job.testing.ToQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each shipped endpoint template, through the delivery stage, to a local server that checks the
 * request against the email service's documented shape ({@link EmailServiceApi}): every request is
 * accepted, carries the API key under the service's scheme and the browsed product and
 * recommendations of the decision, with text that needed escaping intact.
 */
class EmailServiceTemplatesITCase {
    private static final long T0 = 1_780_000_000_000L;
    private static final String NAME = "Kettle \"Nordic\" </script> & co\n1.7 l";

    @AfterEach
    void dropQueue() {
        ToQueue.drop("email-service-results");
    }

    @Test
    void everyShippedTemplateSendsWhatItsServiceAccepts(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("api-key"), "key-123\n");
        try (EmailServiceApi api = new EmailServiceApi()) {
            DeliverySettings settings = settings(api, tmp.resolve("api-key"));
            List<Decision> decisions = new ArrayList<>();
            for (String endpoint : List.of("sendgrid", "klaviyo", "braze")) {
                decisions.add(browseDecision("dec-" + endpoint, endpoint));
            }
            Queue<DeliveryResult> results = ToQueue.fresh("email-service-results");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            TestConfig.of("personalize.restart.attempts=0"));
            env.setParallelism(1);
            DeliveryStage.build(
                            env.fromData(decisions, TypeInformation.of(Decision.class)), settings)
                    .results()
                    .sinkTo(new ToQueue<>("email-service-results"));
            env.execute("email service templates");

            assertThat(api.received())
                    .extracting(EmailServiceApi.Received::path)
                    .containsExactlyInAnyOrder(
                            "/v3/mail/send", "/api/events", "/campaigns/trigger/send");
            assertThat(api.received())
                    .allSatisfy(
                            r -> assertThat(r.problems()).as(r.path() + ": " + r.body()).isEmpty());
            assertThat(results.stream().filter(DeliveryResult::delivered).map(r -> r.decisionId))
                    .containsExactlyInAnyOrder("dec-sendgrid", "dec-klaviyo", "dec-braze");
            Map<String, EmailServiceApi.Received> byPath =
                    api.received().stream()
                            .collect(Collectors.toMap(EmailServiceApi.Received::path, r -> r));
            assertThat(byPath.get("/api/events").authorization())
                    .isEqualTo("Klaviyo-API-Key key-123");
            assertThat(byPath.get("/v3/mail/send").authorization()).isEqualTo("Bearer key-123");

            ObjectMapper json = new ObjectMapper();
            JsonNode sendgrid = json.readTree(byPath.get("/v3/mail/send").body());
            JsonNode klaviyo = json.readTree(byPath.get("/api/events").body());
            JsonNode braze = json.readTree(byPath.get("/campaigns/trigger/send").body());
            assertThat(sendgrid.at("/template_id").asText()).isEqualTo("d-browse");
            assertThat(klaviyo.at("/data/attributes/metric/data/attributes/name").asText())
                    .isEqualTo("Browse Abandonment");
            assertThat(klaviyo.at("/data/attributes/unique_id").asText()).isEqualTo("dec-klaviyo");
            assertThat(braze.at("/campaign_id").asText()).isEqualTo("campaign-browse");
            for (JsonNode properties :
                    List.of(
                            sendgrid.at("/personalizations/0/dynamic_template_data"),
                            klaviyo.at("/data/attributes/properties"),
                            braze.at("/recipients/0/trigger_properties"))) {
                assertThat(properties.get("browsed_product_name").asText()).isEqualTo(NAME);
                assertThat(properties.at("/content_blocks/0/products/0/name").asText())
                        .isEqualTo(NAME);
                assertThat(properties.at("/recommendations"))
                        .extracting(r -> r.get("product_id").asText())
                        .containsExactly("p11", "p12", "p13");
            }
        }
    }

    @Test
    void theLocalServiceRefusesTheGenericBodyAndAMaskedSender() throws Exception {
        try (EmailServiceApi api = new EmailServiceApi()) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            String generic =
                    io.personalize.core.delivery.TriggerPayload.json(
                            browseDecision("dec-generic", "sendgrid"));
            String masked =
                    "{\"personalizations\": [{\"to\": [{\"email\": \"a@b.c\"}],"
                            + " \"dynamic_template_data\": {}}], \"from\": {\"email\": \"<email>\"},"
                            + " \"template_id\": \"d-1\"}";
            for (String path : List.of("/v3/mail/send", "/api/events", "/campaigns/trigger/send")) {
                for (String body : List.of(generic, masked)) {
                    int status =
                            client.send(
                                            java.net.http.HttpRequest.newBuilder(api.url(path))
                                                    .header("authorization", "Bearer k")
                                                    .POST(
                                                            java.net.http.HttpRequest.BodyPublishers
                                                                    .ofString(body))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                    assertThat(status).as(path + " " + body).isEqualTo(400);
                }
            }
            assertThat(api.received())
                    .filteredOn(r -> r.body().contains("<email>"))
                    .filteredOn(r -> r.path().equals("/v3/mail/send"))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(r.problems())
                                            .containsExactly("from.email: an address required"));
        }
    }

    private static DeliverySettings settings(EmailServiceApi api, Path key) {
        DeliveryEndpoints endpoints =
                DeliveryEndpoints.parse(
                        "endpoints:\n"
                                + "  sendgrid:\n"
                                + "    url: "
                                + api.url("/v3/mail/send")
                                + "\n"
                                + "    template: sendgrid-mail-send\n"
                                + "    secret-file: "
                                + key
                                + "\n"
                                + "    params: {from_email: shop@example.com, from_name: Shop}\n"
                                + "    template-ids: {tpl_browse_abandonment: d-browse}\n"
                                + "  klaviyo:\n"
                                + "    url: "
                                + api.url("/api/events")
                                + "\n"
                                + "    template: klaviyo-event\n"
                                + "    secret-file: "
                                + key
                                + "\n"
                                + "    template-ids: {tpl_browse_abandonment: Browse Abandonment}\n"
                                + "  braze:\n"
                                + "    url: "
                                + api.url("/campaigns/trigger/send")
                                + "\n"
                                + "    template: braze-campaign-trigger\n"
                                + "    secret-file: "
                                + key
                                + "\n"
                                + "    template-ids: {tpl_browse_abandonment: campaign-browse}\n",
                        "test endpoints");
        return new DeliverySettings(
                endpoints,
                new RetryPolicy(
                        2, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(1)),
                10,
                Duration.ofDays(7),
                Attribution.Mode.LAST);
    }

    private static Decision browseDecision(String id, String endpoint) {
        Decision d = new Decision();
        d.decisionId = id;
        d.customerKey = "c:42";
        d.customerId = "42";
        d.flowId = "browse_abandonment";
        d.outcome = "to_send";
        d.endpointId = endpoint;
        d.templateId = "tpl_browse_abandonment";
        d.triggerKind = "pattern";
        d.triggerName = "browse_abandoned";
        d.triggeringId = "browse/p3/" + T0;
        d.contentBlocks.addAll(List.of("browsed_products", "recommendations"));
        d.variables.put("customer_id", "42");
        d.variables.put("browsed_product_id", "p3");
        d.variables.put("browsed_product_name", NAME);
        d.variables.put("browsed_product_price", "29.90");
        d.variables.put("browsed_product_image_url", "https://img.example.com/p3.jpg?w=1&h=2");
        for (int i = 1; i <= 3; i++) {
            d.recommendations.add(
                    new Recommendation(
                            "p1" + i,
                            "Mug " + i,
                            "kitchen",
                            i == 2 ? null : 5.0 * i,
                            "https://img.example.com/p1" + i + ".jpg",
                            "co_occurrence",
                            3 - i));
        }
        d.triggeredAt = T0;
        d.decidedAt = T0;
        d.processedAt = System.currentTimeMillis();
        return d;
    }
}
