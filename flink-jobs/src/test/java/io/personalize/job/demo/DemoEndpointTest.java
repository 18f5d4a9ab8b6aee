package io.personalize.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.delivery.WebhookSignature;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoEndpointTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String BODY =
            "{\"type\":\"email.trigger\",\"data\":{\"decision_id\":\"d1\",\"flow_id\":\"win_back\"}}";

    private final HttpClient client = HttpClient.newHttpClient();
    private final WebhookSignature signer = WebhookSignature.fromSecret(SECRET);

    @Test
    void acceptsSignedTriggersAndRefusesATamperedBodyAStaleTimestampOrAnotherSecret(
            @TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("deliveries.jsonl");
        try (DemoEndpoint endpoint = DemoEndpoint.start(SECRET, log)) {
            long now = Instant.now().getEpochSecond();
            String signature = signer.sign("d1", now, BODY);

            assertThat(post(endpoint, "d1", now, BODY, signature)).isEqualTo(204);
            assertThat(post(endpoint, "d1", now, BODY.replace("win_back", "churn_save"), signature))
                    .as("tampered body")
                    .isEqualTo(401);
            assertThat(post(endpoint, "d1", now - 3600, BODY, signer.sign("d1", now - 3600, BODY)))
                    .as("stale timestamp")
                    .isEqualTo(401);
            assertThat(
                            post(
                                    endpoint,
                                    "d1",
                                    now,
                                    BODY,
                                    WebhookSignature.fromSecret("whsec_c2VjcmV0")
                                            .sign("d1", now, BODY)))
                    .as("another secret")
                    .isEqualTo(401);
            assertThat(post(endpoint, "d1", now, BODY, signature)).as("a duplicate").isEqualTo(204);

            assertThat(endpoint.acceptedByFlow()).isEqualTo(Map.of("win_back", 1L));
            assertThat(endpoint.duplicates()).isEqualTo(1);
            assertThat(endpoint.rejected()).isEqualTo(3);
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"webhook_id\":\"d1\"", "\"duplicate\":false");
        assertThat(lines.get(1)).contains("\"duplicate\":true");
    }

    private int post(
            DemoEndpoint endpoint, String id, long timestamp, String body, String signature)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint.url())
                        .header(WebhookSignature.ID_HEADER, id)
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(WebhookSignature.SIGNATURE_HEADER, signature)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
