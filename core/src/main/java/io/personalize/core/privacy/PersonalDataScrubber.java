package io.personalize.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps personal data out of everything the job stores or logs.
 *
 * <p>Fields that identify a person but are useful to join on (e-mail address, phone) are replaced
 * by {@code <field>_hash}, an HMAC-SHA256 keyed with a deployment secret: the same address gives
 * the same hash, and nobody without the secret can test a guess. Names and postal or network
 * addresses are dropped. The README lists the fields.
 */
public final class PersonalDataScrubber implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Name of the environment variable that holds the hashing secret. */
    public static final String SECRET_ENV = "PERSONALIZE_HASH_SECRET";

    /** Replaced by {@code <name>_hash} wherever they appear. */
    public static final Set<String> HASHED_FIELDS =
            Set.of("email", "email_address", "phone", "phone_number");

    /** Removed wherever they appear. */
    public static final Set<String> DROPPED_FIELDS =
            Set.of(
                    "first_name",
                    "last_name",
                    "full_name",
                    "address",
                    "street",
                    "street_address",
                    "postal_code",
                    "ip",
                    "ip_address");

    /** Removed inside {@code profile} only ({@code product.name} is not personal). */
    public static final String PROFILE_NAME_FIELD = "name";

    private static final Pattern EMAIL_ADDRESS =
            // Bounded repetitions keep the scan linear on long records without an address.
            Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}");

    private final byte[] secret;
    private transient Mac mac;

    public PersonalDataScrubber(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException(
                    "the hashing secret must be at least 16 bytes (set " + SECRET_ENV + ")");
        }
        this.secret = secret.clone();
    }

    public PersonalDataScrubber(String secret) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Hashes and drops personal fields in place, at every depth of the tree. */
    public void scrub(JsonNode node) {
        scrub(node, false);
    }

    private void scrub(JsonNode node, boolean insideProfile) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String lower = name.toLowerCase(Locale.ROOT);
                JsonNode value = object.get(name);
                if (DROPPED_FIELDS.contains(lower)
                        || (insideProfile && PROFILE_NAME_FIELD.equals(lower))) {
                    object.remove(name);
                } else if (HASHED_FIELDS.contains(lower) && value.isValueNode()) {
                    object.remove(name);
                    if (!value.isNull()) {
                        object.put(name + "_hash", hash(normalize(lower, value.asText())));
                    }
                } else {
                    scrub(value, "profile".equals(lower));
                }
            }
        } else if (node != null && node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                scrub(it.next(), insideProfile);
            }
        }
    }

    /** Masks e-mail addresses in text that is not JSON (e.g. a malformed record). */
    public static String maskText(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return EMAIL_ADDRESS.matcher(text).replaceAll("<email>");
    }

    /** HMAC-SHA256 of the value, hex encoded. */
    public String hash(String value) {
        Mac m = mac();
        return HexFormat.of().formatHex(m.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String normalize(String field, String value) {
        String trimmed = value.trim();
        return field.startsWith("email") ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
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
