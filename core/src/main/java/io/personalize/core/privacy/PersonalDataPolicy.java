package io.personalize.core.privacy;

import java.io.Serializable;
import java.util.List;

/**
 * Which fields are personal and what happens to them: the README's "Personal data" section, as
 * configured ({@code personalize.privacy.*}).
 *
 * @param hashed fields replaced by {@code <field>_hash} (joinable, not reversible without the
 *     secret); an object under such a name is scrubbed field by field instead
 * @param dropped fields removed, whatever their JSON type
 * @param kept exceptions to both (product names are not personal)
 * @param hashIdentifiers whether a {@code customer_id} or {@code anonymous_id} that looks like an
 *     e-mail address or phone number is hashed into the id (true) or refused (false)
 */
public record PersonalDataPolicy(
        FieldPatterns hashed, FieldPatterns dropped, FieldPatterns kept, boolean hashIdentifiers)
        implements Serializable {

    /** Default of {@code personalize.privacy.hashed-fields}. */
    public static final List<String> DEFAULT_HASHED =
            List.of("email", "email_address", "emails", "phone*", "mobile*", "telephone*");

    /** Default of {@code personalize.privacy.dropped-fields}. */
    public static final List<String> DEFAULT_DROPPED =
            List.of(
                    "name",
                    "first_name",
                    "last_name",
                    "middle_name",
                    "full_name",
                    "given_name",
                    "family_name",
                    "surname",
                    "display_name",
                    "nickname",
                    "username",
                    "recipient*",
                    "*address*",
                    "street*",
                    "postal_code",
                    "postcode",
                    "zip*",
                    "ip");

    /** Default of {@code personalize.privacy.kept-fields}: product names, not people's. */
    public static final List<String> DEFAULT_KEPT =
            List.of("product.name", "products.name", "items.name");

    /** The defaults; customer ids that look like contact details are refused. */
    public static final PersonalDataPolicy DEFAULTS =
            of(DEFAULT_HASHED, DEFAULT_DROPPED, DEFAULT_KEPT, false);

    /**
     * @throws IllegalArgumentException naming a pattern that is not one
     */
    public static PersonalDataPolicy of(
            List<String> hashed, List<String> dropped, List<String> kept, boolean hashIds) {
        return new PersonalDataPolicy(
                FieldPatterns.parse(hashed),
                FieldPatterns.parse(dropped),
                FieldPatterns.parse(kept),
                hashIds);
    }

    /** What happens to a field. */
    public enum Treatment {
        KEEP,
        HASH,
        DROP
    }

    /**
     * The treatment of a field, given normal forms ({@link FieldPatterns#normalize}); {@code
     * parent} is "" at the top or when unknown. A name ending in {@code hash} is a hash already.
     */
    public Treatment treatment(String parent, String name) {
        if (name.endsWith("hash") || kept.matches(parent, name)) {
            return Treatment.KEEP;
        }
        if (hashed.matches(parent, name)) {
            return Treatment.HASH;
        }
        return dropped.matches(parent, name) ? Treatment.DROP : Treatment.KEEP;
    }

    /** Whether the treatment of this name depends on the field that holds it. */
    boolean dependsOnParent(String name) {
        return kept.hasQualifiedMatch(name)
                || hashed.hasQualifiedMatch(name)
                || dropped.hasQualifiedMatch(name);
    }
}
