package io.personalize.core.delivery;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One trigger endpoint, by id, as {@link DeliveryEndpoints} reads it. The signing secret is never
 * part of it: only where to find it (an environment variable or a file), read on the worker that
 * sends.
 *
 * @param ratePerSecond requests per second for the whole job; 0 means no limit
 */
public record Endpoint(
        String id,
        URI url,
        String secretEnv,
        String secretFile,
        Duration timeout,
        double ratePerSecond)
        implements Serializable {

    /**
     * The signer for this endpoint's secret.
     *
     * @throws IllegalStateException naming the endpoint and the reference (never the value) when
     *     the secret cannot be read or is empty
     */
    public WebhookSignature signer(Map<String, String> environment) {
        String secret;
        String where;
        if (secretEnv != null) {
            where = "environment variable " + secretEnv;
            secret = environment.get(secretEnv);
        } else {
            where = "file " + secretFile;
            try {
                secret = Files.readString(Path.of(secretFile));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "endpoint " + id + ": cannot read its signing secret from " + where, e);
            }
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                    "endpoint " + id + ": its signing secret (" + where + ") is missing or empty");
        }
        try {
            return WebhookSignature.fromSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "endpoint " + id + ": the signing secret in " + where + " " + e.getMessage(),
                    e);
        }
    }
}
