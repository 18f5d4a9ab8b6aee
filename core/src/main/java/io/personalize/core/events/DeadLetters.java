package io.personalize.core.events;

import io.personalize.core.privacy.PersonalDataScrubber;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/** Builds {@link DeadLetter}s with deterministic ids. */
public final class DeadLetters {
    private DeadLetters() {}

    /**
     * A dead letter for a raw record; its id derives from the content (see {@link #positionalId}
     * for records whose position in the input is known).
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
        // messages may quote a value (a quantity, a time): masked like any stored text
        letter.message = PersonalDataScrubber.maskText(message);
        letter.source = source;
        letter.rawPayload = storedPayload;
        letter.ingestedAt = ingestedAt;
        return letter;
    }

    /**
     * A record larger than {@code maxBytes}: only a prefix of {@link RawRecord#PREFIX_BYTES} bytes
     * is kept, masked, and the message gives the whole record's size and SHA-256. Nothing here
     * looks at more than the prefix.
     */
    public static DeadLetter tooLarge(
            String source,
            String prefix,
            long sizeBytes,
            String sha256,
            long maxBytes,
            long ingestedAt,
            UnaryOperator<String> mask) {
        return of(
                DeadLetterReason.TOO_LARGE,
                "record of "
                        + sizeBytes
                        + " bytes exceeds the limit of "
                        + maxBytes
                        + "; sha256 "
                        + sha256
                        + "; payload: its first bytes, masked",
                source,
                "sha256:" + sha256,
                // masking may lengthen the text (<email>): cut again after it
                prefix(mask.apply(prefix(prefix))),
                ingestedAt);
    }

    /** A record whose bytes are not UTF-8: stored as decoded with replacement, masked. */
    public static DeadLetter malformedEncoding(
            String source,
            String replacedText,
            long sizeBytes,
            long ingestedAt,
            UnaryOperator<String> mask) {
        return of(
                DeadLetterReason.MALFORMED_ENCODING,
                "record of " + sizeBytes + " bytes is not valid UTF-8",
                source,
                replacedText,
                mask.apply(replacedText),
                ingestedAt);
    }

    /** At most {@link RawRecord#PREFIX_BYTES} characters of {@code text}. */
    public static String prefix(String text) {
        if (text == null || text.length() <= RawRecord.PREFIX_BYTES) {
            return text;
        }
        int end = RawRecord.PREFIX_BYTES;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * The id of the dead letter for the record read at {@code position} of {@code source}: two
     * identical records are two dead letters, and a replay of the same input gives the same ids.
     */
    public static String positionalId(String source, String position) {
        return id(source, "@" + position);
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
