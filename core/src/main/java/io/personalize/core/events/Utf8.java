package io.personalize.core.events;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Strict UTF-8 decoding and hashing of raw records. */
public final class Utf8 {
    private static final char REPLACEMENT = '\uFFFD';

    private Utf8() {}

    /**
     * The text of valid UTF-8 bytes, or {@code null} when they are not valid UTF-8 (a stray
     * continuation byte, a truncated sequence, an overlong form, an encoded surrogate).
     */
    public static String decodeStrict(byte[] bytes, int offset, int length) {
        // The JDK's fast decoder replaces what it cannot decode: no replacement character in the
        // result means the bytes were valid. Only a record that holds one is decoded again
        // strictly, since a valid record may hold an encoded U+FFFD of its own.
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) < 0) {
            return text;
        }
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The number of bytes {@code text} takes in UTF-8, without encoding it. */
    public static long encodedLength(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * The largest length at most {@code length} that does not cut a multi-byte character (the byte
     * after it is not a continuation byte).
     */
    static int characterBoundary(byte[] bytes, int offset, int length) {
        int end = length;
        // A character is at most 4 bytes: look back at most 3.
        while (end > 0 && end > length - 4 && isContinuation(bytes, offset, end)) {
            end--;
        }
        return end;
    }

    private static boolean isContinuation(byte[] bytes, int offset, int index) {
        // The byte at index is the first one left out; it must not continue a character.
        return offset + index < bytes.length && (bytes[offset + index] & 0xC0) == 0x80;
    }

    /** A SHA-256 digest, ready for {@link #sha256(byte[], int, int)} or for streaming updates. */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** SHA-256 of the text's UTF-8 bytes, hex. */
    public static String sha256Hex(String text) {
        return HexFormat.of()
                .formatHex(sha256Digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes, int offset, int length) {
        MessageDigest digest = sha256Digest();
        digest.update(bytes, offset, length);
        return digest.digest();
    }
}
