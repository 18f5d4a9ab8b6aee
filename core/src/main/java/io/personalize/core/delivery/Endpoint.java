package io.personalize.core.delivery;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One trigger endpoint, by id, as {@link DeliveryEndpoints} reads it. The secret is never part of
 * it: only where to find it (an environment variable or a file), read on the worker that sends. A
 * generic endpoint gets the Standard Webhooks body ({@link TriggerPayload}) signed with the secret;
 * an endpoint with a {@link EndpointTemplate template} gets the body its template renders and the
 * secret as its API key ({@code Authorization: <authScheme> <secret>}), plus its headers.
 *
 * @param ratePerSecond requests per second for the whole job; 0 means no limit
 * @param template null for the generic, signed body
 * @param params values the template reads as {@code params.*} (e.g. {@code from_email})
 * @param templateIds the flows' template ids to the service's (template, metric or campaign id)
 * @param authScheme with a template: the scheme of the Authorization header ({@code Bearer})
 * @param headers with a template: further headers (e.g. an API {@code revision})
 */
public record Endpoint(
        String id,
        URI url,
        String secretEnv,
        String secretFile,
        Duration timeout,
        double ratePerSecond,
        EndpointTemplate template,
        Map<String, String> params,
        Map<String, String> templateIds,
        String authScheme,
        String contentType,
        Map<String, String> headers)
        implements Serializable {

    public Endpoint {
        params = params == null ? Map.of() : Map.copyOf(params);
        templateIds = templateIds == null ? Map.of() : Map.copyOf(templateIds);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        contentType = contentType == null ? "application/json" : contentType;
    }

    /** A generic endpoint: the Standard Webhooks body, signed. */
    public Endpoint(
            String id,
            URI url,
            String secretEnv,
            String secretFile,
            Duration timeout,
            double ratePerSecond) {
        this(
                id,
                url,
                secretEnv,
                secretFile,
                timeout,
                ratePerSecond,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The request body for a decision: its template's, or the generic one. */
    public String body(io.personalize.core.decisions.Decision decision) {
        return template == null
                ? TriggerPayload.json(decision)
                : template.render(decision, params, templateIds);
    }

    /**
     * The Authorization header value of a templated endpoint ({@code Bearer <key>}).
     *
     * @throws IllegalStateException as {@link #signer} does
     */
    public String authorization(Map<String, String> environment) {
        return authScheme + " " + secret(environment).strip();
    }

    /**
     * The signer for this endpoint's secret.
     *
     * @throws IllegalStateException naming the endpoint and the reference (never the value) when
     *     the secret cannot be read or is empty
     */
    public WebhookSignature signer(Map<String, String> environment) {
        String secret = secret(environment);
        try {
            return WebhookSignature.fromSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "endpoint " + id + ": the signing secret in " + where() + " " + e.getMessage(),
                    e);
        }
    }

    private String what() {
        return template == null ? "signing secret" : "API key";
    }

    private String where() {
        return secretEnv != null ? "environment variable " + secretEnv : "file " + secretFile;
    }

    private String secret(Map<String, String> environment) {
        String secret;
        if (secretEnv != null) {
            secret = environment.get(secretEnv);
        } else {
            try {
                secret = Files.readString(Path.of(secretFile));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "endpoint " + id + ": cannot read its " + what() + " from " + where(), e);
            }
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalStateException(
                    "endpoint "
                            + id
                            + ": its "
                            + what()
                            + " ("
                            + where()
                            + ") is missing or empty");
        }
        return secret;
    }
}
