package io.personalize.core.flows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * A checked experiment: assigns each customer an arm from a stable hash of experiment id and
 * customer id, the same in every JVM and across restarts and reloads (while id, holdout and
 * variants stay the same).
 */
final class ExperimentArms {
    private final String id;
    private final double holdout;
    private final List<Variant> variants;
    private final double totalWeight;

    ExperimentArms(Experiment experiment) {
        this.id = experiment.id();
        this.holdout = experiment.holdout();
        this.variants = experiment.variants();
        this.totalWeight = variants.stream().mapToDouble(Variant::weight).sum();
    }

    /**
     * The customer's position in [0, 1): the first 53 bits of SHA-256 of {@code experimentId + ":"
     * + customerId} (UTF-8), as a fraction.
     */
    static double position(String experimentId, String customerId) {
        byte[] hash;
        try {
            hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(
                                    (experimentId + ":" + customerId)
                                            .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (hash[i] & 0xFF);
        }
        return (bits >>> 11) * 0x1.0p-53;
    }

    /**
     * Positions below the holdout share are held out; the rest of [0, 1) is split between the
     * variants in file order, each in proportion to its weight.
     */
    Flow.Assignment assign(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        double u = position(id, customerId);
        if (u < holdout) {
            return new Flow.Assignment(id, Flow.Assignment.HOLDOUT, true);
        }
        double x = (u - holdout) / (1.0 - holdout) * totalWeight;
        double upTo = 0;
        for (Variant v : variants) {
            upTo += v.weight();
            if (x < upTo) {
                return new Flow.Assignment(id, v.id(), false);
            }
        }
        return new Flow.Assignment(id, variants.get(variants.size() - 1).id(), false);
    }

    String templateOf(String variant, String flowTemplate) {
        for (Variant v : variants) {
            if (v.id().equals(variant) && v.template() != null) {
                return v.template();
            }
        }
        return flowTemplate;
    }
}
