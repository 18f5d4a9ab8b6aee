package io.personalize.core.privacy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The addresses no flow may email, as the keyed hashes the job knows customers' addresses by (the
 * {@code email_hash} of {@link PersonalDataScrubber}). The file has one entry a line: an e-mail
 * address, hashed on load and never kept in clear, or its hash (64 hex digits, HMAC-SHA256 of the
 * trimmed, lower-cased address keyed with {@code PERSONALIZE_HASH_SECRET}); blank lines and lines
 * starting with {@code #} are ignored.
 *
 * <pre>{@code
 * SuppressionList list = SuppressionList.parse(Files.readString(path), scrubber);
 * boolean listed = list.hashes().contains(customerEmailHash);
 * }</pre>
 */
public final class SuppressionList implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

    /** The whole entry is one address: no spaces, one {@code @}, a dotted domain. */
    private static final Pattern ADDRESS =
            Pattern.compile("[^@\\s,;<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,24}");

    private final Set<String> hashes;

    private SuppressionList(Set<String> hashes) {
        this.hashes = Collections.unmodifiableSet(hashes);
    }

    /** An empty list. */
    public static SuppressionList empty() {
        return new SuppressionList(new HashSet<>());
    }

    /** The listed addresses' hashes (lower-case hex). */
    public Set<String> hashes() {
        return hashes;
    }

    /**
     * Reads a list; every line that is neither an address nor a hash is a problem, named by its
     * line number only (the line may hold personal data, so it is never repeated).
     *
     * @throws IllegalArgumentException naming every bad line
     */
    public static SuppressionList parse(String text, PersonalDataScrubber scrubber) {
        Set<String> hashes = new HashSet<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String entry = lines[i].strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            if (HASH.matcher(entry).matches()) {
                hashes.add(entry.toLowerCase(Locale.ROOT));
            } else if (ADDRESS.matcher(entry).matches()) {
                hashes.add(hashAddress(entry, scrubber));
            } else {
                problems.add(
                        "line "
                                + (i + 1)
                                + ": neither an e-mail address nor its 64-hex-digit hash");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
        return new SuppressionList(hashes);
    }

    /**
     * The address's hash as events carry it: {@link PersonalDataScrubber} hashes an {@code email}
     * field trimmed and lower-cased, and so does this.
     */
    static String hashAddress(String address, PersonalDataScrubber scrubber) {
        return scrubber.hash(address.trim().toLowerCase(Locale.ROOT));
    }

    /** The hashes, sorted, one a line: what the watched list sends through the job. */
    public String toHashLines() {
        List<String> sorted = new ArrayList<>(hashes);
        Collections.sort(sorted);
        return String.join("\n", sorted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SuppressionList other && hashes.equals(other.hashes);
    }

    @Override
    public int hashCode() {
        return hashes.hashCode();
    }

    /** The number of entries only: never the hashes. */
    @Override
    public String toString() {
        return "SuppressionList{" + hashes.size() + " addresses}";
    }
}
