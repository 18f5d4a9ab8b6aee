package io.personalize.core.events;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One record as read from an input, before any parsing: its text when it is valid UTF-8 and within
 * the size limit, else what the intake needs to refuse it cheaply (a bounded prefix, the size and a
 * hash of the whole), and where it was read ({@link #position}) so that a dead letter has an id of
 * its own even when the same bytes appear twice.
 *
 * <pre>{@code
 * RawRecord record = RawRecord.fromBytes(value, 0, value.length, 64 * 1024, "events/3@1042");
 * }</pre>
 *
 * <p>A Flink POJO.
 */
public class RawRecord {
    /** How much of an oversized record is kept (before masking): enough to recognise it. */
    public static final int PREFIX_BYTES = 4096;

    /**
     * The record decoded as UTF-8; when {@link #truncated}, only its first {@link #PREFIX_BYTES}
     * bytes; when {@link #malformedEncoding}, decoded with replacement characters (for storage
     * only).
     */
    public String text;

    /** The size of the whole record in bytes, without its line end. */
    public long sizeBytes;

    /** The text is only a prefix: the record was larger than the reader's limit. */
    public boolean truncated;

    /** The bytes are not valid UTF-8. */
    public boolean malformedEncoding;

    /** SHA-256 of the whole record, hex, when it was truncated; else {@code null}. */
    public String sha256;

    /**
     * Where the record was read, unique within its source: {@code file@byteOffset} or {@code
     * topic/partition@offset}; {@code null} when the input has no positions (an in-memory stream).
     */
    public String position;

    public RawRecord() {}

    /** A record that is already text (tests, replays from a table); no position. */
    public static RawRecord ofText(String text) {
        RawRecord record = new RawRecord();
        record.text = text;
        record.sizeBytes = text == null ? 0 : Utf8.encodedLength(text);
        return record;
    }

    /**
     * A record from bytes: decoded strictly when it is at most {@code maxBytes} long, else kept as
     * a prefix with its size and hash.
     */
    public static RawRecord fromBytes(
            byte[] bytes, int offset, int length, int maxBytes, String position) {
        if (length > maxBytes) {
            byte[] digest = Utf8.sha256(bytes, offset, length);
            return oversized(
                    bytes, offset, Math.min(length, PREFIX_BYTES), length, digest, position);
        }
        RawRecord record = new RawRecord();
        record.sizeBytes = length;
        record.position = position;
        record.text = Utf8.decodeStrict(bytes, offset, length);
        if (record.text == null) {
            record.malformedEncoding = true;
            record.text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        return record;
    }

    /**
     * A record larger than the limit: the first bytes (cut at a character boundary, decoded with
     * replacement), the whole size and the whole record's SHA-256.
     */
    public static RawRecord oversized(
            byte[] prefix,
            int offset,
            int prefixLength,
            long sizeBytes,
            byte[] sha256,
            String position) {
        RawRecord record = new RawRecord();
        int kept = Utf8.characterBoundary(prefix, offset, Math.min(prefixLength, PREFIX_BYTES));
        record.text = new String(prefix, offset, kept, StandardCharsets.UTF_8);
        record.sizeBytes = sizeBytes;
        record.truncated = true;
        record.sha256 = HexFormat.of().formatHex(sha256);
        record.position = position;
        return record;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawRecord other)) {
            return false;
        }
        return sizeBytes == other.sizeBytes
                && truncated == other.truncated
                && malformedEncoding == other.malformedEncoding
                && Objects.equals(text, other.text)
                && Objects.equals(sha256, other.sha256)
                && Objects.equals(position, other.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(position, sizeBytes, sha256);
    }

    /** Position and size only: never the content. */
    @Override
    public String toString() {
        return "RawRecord{" + position + ", " + sizeBytes + " bytes}";
    }
}
