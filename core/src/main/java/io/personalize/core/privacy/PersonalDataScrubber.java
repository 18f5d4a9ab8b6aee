package io.personalize.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.personalize.core.privacy.PersonalDataPolicy.Treatment;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps personal data out of everything the job stores, logs or sends.
 *
 * <p>Fields are found by name ({@link PersonalDataPolicy}: patterns matched case-insensitively and
 * across naming styles, at any depth, whatever their JSON type). Those useful to join on (e-mail
 * address, phone) are replaced by {@code <field>_hash}, an HMAC-SHA256 keyed with a deployment
 * secret: the same address gives the same hash, and nobody without the secret can test a guess.
 * Names and postal or network addresses are dropped. In every other string value, e-mail addresses
 * and phone numbers are masked ({@link TextMasker}), so an address inside a URL or a search query
 * does not survive either. The README lists the patterns.
 *
 * <pre>{@code
 * PersonalDataScrubber scrubber = new PersonalDataScrubber(secret, PersonalDataPolicy.DEFAULTS);
 * scrubber.scrub(envelope); // in place
 * }</pre>
 */
public final class PersonalDataScrubber implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Name of the environment variable that holds the hashing secret. */
    public static final String SECRET_ENV = "PERSONALIZE_HASH_SECRET";

    /** The identifiers refused (or hashed) when they look like contact details. */
    public static final List<String> IDENTIFIERS = List.of("customer_id", "anonymous_id");

    /** Field names whose treatment is remembered: names repeat from record to record. */
    private static final int NAME_CACHE_LIMIT = 4096;

    private final byte[] secret;
    private final PersonalDataPolicy policy;
    private transient Mac mac;
    private transient Map<String, Name> names;

    public PersonalDataScrubber(byte[] secret, PersonalDataPolicy policy) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException(
                    "the hashing secret must be at least 16 bytes (set " + SECRET_ENV + ")");
        }
        this.secret = secret.clone();
        this.policy = policy;
    }

    public PersonalDataScrubber(String secret, PersonalDataPolicy policy) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), policy);
    }

    public PersonalDataScrubber(String secret) {
        this(secret, PersonalDataPolicy.DEFAULTS);
    }

    public PersonalDataPolicy policy() {
        return policy;
    }

    /**
     * Handles {@code customer_id} and {@code anonymous_id} that look like an e-mail address or a
     * phone number, before {@link #scrub}: hashed in place into the id when the policy says so,
     * else named in the result (the caller refuses the record).
     *
     * @return the identifiers refused, empty when none
     */
    public List<String> guardIdentifiers(ObjectNode envelope) {
        List<String> refused = List.of();
        for (String field : IDENTIFIERS) {
            JsonNode id = envelope.get(field);
            if (id == null || !id.isTextual() || !TextMasker.containsContact(id.asText())) {
                continue;
            }
            if (policy.hashIdentifiers()) {
                envelope.put(field, hashIdentifier(id.asText()));
            } else {
                refused = refused.isEmpty() ? new ArrayList<>() : refused;
                refused.add(field);
            }
        }
        return refused;
    }

    /**
     * The id that replaces an identifier holding contact details: the same hash as the {@code
     * email_hash} (or {@code phone_hash}) of that address, so the two join.
     */
    public String hashIdentifier(String id) {
        return hash(id.indexOf('@') >= 0 || id.contains("%40") ? emailForm(id) : id.trim());
    }

    /** Hashes, drops and masks personal data in place, at every depth of the tree. */
    public void scrub(JsonNode node) {
        scrub(node, "");
    }

    private void scrub(JsonNode node, String parent) {
        if (node instanceof ObjectNode object) {
            scrubObject(object, parent);
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual()) {
                    maskInPlace(array, i, element.asText());
                } else {
                    scrub(element, parent);
                }
            }
        }
    }

    private void scrubObject(ObjectNode object, String parent) {
        List<String> fields = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            Name name = name(field);
            Treatment treatment =
                    name.dependsOnParent ? policy.treatment(parent, name.normal) : name.treatment;
            JsonNode value = object.get(field);
            if (treatment == Treatment.DROP) {
                object.remove(field);
            } else if (treatment == Treatment.HASH && !value.isObject()) {
                object.remove(field);
                JsonNode hashed = hashed(value, name.normal);
                if (hashed != null) {
                    object.set(field + "_hash", hashed);
                }
            } else if (value.isTextual()) {
                String masked = mask(value.asText());
                if (masked != value.asText()) {
                    object.put(field, masked);
                }
            } else {
                scrub(value, name.normal);
            }
        }
    }

    /** A hashed field's value: a hash for a string or number, hashes for an array's elements. */
    private JsonNode hashed(JsonNode value, String name) {
        if (value.isTextual() || value.isNumber()) {
            String text = value.asText();
            return TextNode.valueOf(hash(isEmailName(name) ? emailForm(text) : text.trim()));
        }
        if (value.isArray()) {
            ArrayNode hashes = JsonNodeFactory.instance.arrayNode(value.size());
            for (JsonNode element : value) {
                if (element.isObject()) {
                    scrub(element, name);
                    hashes.add(element);
                } else {
                    JsonNode hash = hashed(element, name);
                    if (hash != null) {
                        hashes.add(hash);
                    }
                }
            }
            return hashes;
        }
        return null; // null, true, false: nothing to join on
    }

    private void maskInPlace(ArrayNode array, int index, String text) {
        String masked = mask(text);
        if (masked != text) {
            array.set(index, TextNode.valueOf(masked));
        }
    }

    /**
     * Masks e-mail addresses, phone numbers and the values of personal keys ({@code email=...} in a
     * query, {@code "firstName": ...} in JSON text) in free text, with this policy's patterns.
     */
    public String mask(String text) {
        return TextMasker.mask(text, this::isPersonalKey);
    }

    /** As {@link #mask}, with the default patterns: for text where no policy is at hand. */
    public static String maskText(String text) {
        return TextMasker.mask(text, PersonalDataScrubber::isDefaultPersonalKey);
    }

    /** Whether the text holds something that looks like an e-mail address or a phone number. */
    public static boolean looksLikeContact(String text) {
        return TextMasker.containsContact(text);
    }

    private boolean isPersonalKey(String key) {
        return name(key).treatment != Treatment.KEEP;
    }

    private static boolean isDefaultPersonalKey(String key) {
        return PersonalDataPolicy.DEFAULTS.treatment("", FieldPatterns.normalize(key))
                != Treatment.KEEP;
    }

    /** HMAC-SHA256 of the value, hex encoded. */
    public String hash(String value) {
        Mac m = mac();
        return HexFormat.of().formatHex(m.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean isEmailName(String normalName) {
        return normalName.startsWith("email");
    }

    private static String emailForm(String value) {
        return value.trim().replace("%40", "@").toLowerCase(Locale.ROOT);
    }

    /** One field name's normal form and treatment, remembered. */
    private record Name(String normal, Treatment treatment, boolean dependsOnParent) {}

    private Name name(String field) {
        if (names == null) {
            names = new HashMap<>();
        }
        Name name = names.get(field);
        if (name == null) {
            String normal = FieldPatterns.normalize(field);
            name = new Name(normal, policy.treatment("", normal), policy.dependsOnParent(normal));
            if (names.size() >= NAME_CACHE_LIMIT) {
                names.clear();
            }
            names.put(field, name);
        }
        return name;
    }

    private Mac mac() {
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
        return mac;
    }
}
