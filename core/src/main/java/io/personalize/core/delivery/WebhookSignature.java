package io.personalize.core.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies triggers the <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>
 * way: {@code webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">}, so a receiver
 * can use any Standard Webhooks (or Svix) library to check what it gets.
 *
 * <pre>{@code
 * WebhookSignature signer = WebhookSignature.fromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * String header = signer.sign(decisionId, Instant.now().getEpochSecond(), body);
 * }</pre>
 */
public final class WebhookSignature {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    private static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;

    private WebhookSignature(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the signing secret is empty");
        }
        this.key = key.clone();
    }

    /**
     * A signer for a secret as providers hand them out: {@code whsec_} followed by base64 (the key
     * is the decoded bytes); any other text is used as it is (its UTF-8 bytes).
     */
    public static WebhookSignature fromSecret(String secret) {
        String trimmed = secret.strip();
        if (trimmed.startsWith(SECRET_PREFIX)) {
            try {
                return new WebhookSignature(
                        Base64.getDecoder().decode(trimmed.substring(SECRET_PREFIX.length())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a whsec_ secret must be followed by base64", e);
            }
        }
        return new WebhookSignature(trimmed.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code webhook-signature} header value for one message. */
    public String sign(String id, long timestampSeconds, String body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(id, timestampSeconds, body));
    }

    /**
     * Whether one of the space-separated signatures of a {@code webhook-signature} header is ours
     * for this message (constant-time comparison). The caller checks the timestamp's age.
     */
    public boolean verify(String id, long timestampSeconds, String body, String header) {
        if (id == null || body == null || header == null) {
            return false;
        }
        byte[] expected = mac(id, timestampSeconds, body);
        for (String candidate : header.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !VERSION.equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    private byte[] mac(String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(
                    (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "WebhookSignature{v1, HMAC-SHA256}";
    }
}
