package io.personalize.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    // The Standard Webhooks specification's published test vector.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signatureMatchesTheStandardWebhooksTestVector() {
        assertThat(WebhookSignature.fromSecret(SECRET).sign(ID, TIMESTAMP, BODY))
                .isEqualTo(EXPECTED);
    }

    @Test
    void verifiesTheVectorAndRejectsATamperedBodyIdOrTimestamp() {
        WebhookSignature signer = WebhookSignature.fromSecret(SECRET);
        assertThat(signer.verify(ID, TIMESTAMP, BODY, EXPECTED)).isTrue();
        assertThat(signer.verify(ID, TIMESTAMP, "{\"test\": 2432232315}", EXPECTED)).isFalse();
        assertThat(signer.verify("msg_other", TIMESTAMP, BODY, EXPECTED)).isFalse();
        assertThat(signer.verify(ID, TIMESTAMP + 1, BODY, EXPECTED)).isFalse();
        assertThat(
                        WebhookSignature.fromSecret("whsec_c2VjcmV0")
                                .verify(ID, TIMESTAMP, BODY, EXPECTED))
                .isFalse();
    }

    @Test
    void acceptsAnyOfSeveralSignaturesDuringASecretRotation() {
        WebhookSignature signer = WebhookSignature.fromSecret(SECRET);
        assertThat(signer.verify(ID, TIMESTAMP, BODY, "v1,bm9wZQ== v2,xyz " + EXPECTED)).isTrue();
        assertThat(signer.verify(ID, TIMESTAMP, BODY, "v1,bm9wZQ== garbage")).isFalse();
    }

    @Test
    void aSecretWithoutThePrefixIsUsedAsItsBytes() {
        WebhookSignature raw = WebhookSignature.fromSecret("a plain shared secret");
        String header = raw.sign(ID, TIMESTAMP, BODY);
        assertThat(raw.verify(ID, TIMESTAMP, BODY, header)).isTrue();
        assertThat(header).isNotEqualTo(EXPECTED).startsWith("v1,");
    }

    @Test
    void refusesAnEmptyOrUndecodableSecretAndNeverPrintsTheKey() {
        assertThatThrownBy(() -> WebhookSignature.fromSecret("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> WebhookSignature.fromSecret("whsec_!!!"))
                .hasMessageContaining("base64");
        assertThat(WebhookSignature.fromSecret(SECRET).toString()).doesNotContain("MfKQ");
    }
}
