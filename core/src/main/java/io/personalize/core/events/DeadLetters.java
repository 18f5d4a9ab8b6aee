package io.personalize.core.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Builds {@link DeadLetter}s with deterministic ids. */
public final class DeadLetters {
    private DeadLetters() {}

    /**
     * A dead letter for a raw record.
     *
     * @param rawForId the record exactly as read, for the id (two reads of the same record from the
     *     same source get the same id, so a replay after a failure does not make a second one)
     * @param storedPayload what to store: the record with personal data already removed
     */
    public static DeadLetter of(
            DeadLetterReason reason,
            String message,
            String source,
            String rawForId,
            String storedPayload,
            long ingestedAt) {
        DeadLetter letter = new DeadLetter();
        letter.deadLetterId = id(source, rawForId);
        letter.reason = reason.code();
        letter.message = message;
        letter.source = source;
        letter.rawPayload = storedPayload;
        letter.ingestedAt = ingestedAt;
        return letter;
    }

    /**
     * A dead letter for a refused reading of a definitions file (segments, flows): the reading is
     * the payload and makes the id, so a reading refused again after a restart is the same letter.
     */
    public static DeadLetter refusedReading(
            DeadLetterReason reason,
            String stage,
            String message,
            String source,
            String reading,
            long readAt) {
        DeadLetter letter = of(reason, message, source, reading, reading, readAt);
        letter.stage = stage;
        return letter;
    }

    /**
     * First 128 bits of SHA-256 over source and record, hex encoded: an id derived from content,
     * for dead letters and for events of formats that carry no id of their own.
     */
    public static String id(String source, String raw) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.valueOf(source).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(raw).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
