package io.personalize.core.privacy;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys erased: HMAC-SHA256 of each customer key under the hashing secret ({@link
 * PersonalDataScrubber#hash}), never the key. Asking whether a key is erased costs one HMAC, so the
 * stages ask only when they hold nothing of the key (an erased key holds nothing) and only while
 * there is at least one tombstone.
 */
public final class Tombstones implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String secret;
    private final HashSet<String> subjects;
    private transient PersonalDataScrubber hasher;

    public Tombstones(String secret, Collection<String> subjects) {
        this.secret = secret;
        this.subjects = new HashSet<>(subjects);
    }

    /** No tombstone (nothing is ever hashed until one is added: a test's, or a stage's default). */
    public static Tombstones none() {
        return new Tombstones("no erasures: nothing is hashed yet", List.of());
    }

    /** The subject of a key: what the {@code erasures} table and the tombstones keep. */
    public String subject(String customerKey) {
        if (hasher == null) {
            hasher = new PersonalDataScrubber(secret);
        }
        return hasher.hash(customerKey);
    }

    /** The hashing secret, for a copy. */
    public String secret() {
        return secret;
    }

    public boolean isEmpty() {
        return subjects.isEmpty();
    }

    /** Whether the key was erased (one HMAC when there are tombstones, none otherwise). */
    public boolean erased(String customerKey) {
        return !subjects.isEmpty() && subjects.contains(subject(customerKey));
    }

    /** Adds a key's tombstone; returns its subject. */
    public String add(String customerKey) {
        String subject = subject(customerKey);
        subjects.add(subject);
        return subject;
    }

    public void addSubjects(Collection<String> more) {
        subjects.addAll(more);
    }

    /** The subjects, for a checkpoint. */
    public Set<String> subjects() {
        return subjects;
    }
}
