package io.personalize.core.events;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Reads records, one per line, from a stream of bytes with a bound on memory: a line longer than
 * {@code maxBytes} is never held whole; its first bytes are kept, the rest is only counted and
 * hashed ({@link RawRecord#oversized}). Lines end at {@code \n}; a {@code \r} before it (CRLF
 * files) is not part of the record, and a last line without a line end is still a record. A UTF-8
 * byte-order mark at the very start of the stream is skipped.
 *
 * <pre>{@code
 * LineReader reader = new LineReader(in, 0, 64 * 1024, "events.jsonl");
 * for (RawRecord r = reader.next(); r != null; r = reader.next()) { ... }
 * }</pre>
 *
 * <p>Each record's {@link RawRecord#position} is {@code name@offset}, the byte offset of the line's
 * start: the same line gets the same position in every read of the same file, also when a read is
 * resumed from the offset of a later line.
 */
public final class LineReader {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxBytes;
    private final String name;
    private final byte[] chunk = new byte[CHUNK];
    private int chunkPos;
    private int chunkEnd;
    private long offset;
    private boolean atStreamStart;

    private byte[] line = new byte[256];
    private int lineLength;

    /**
     * @param startOffset the byte offset in the file that {@code in} starts at (0, or the offset of
     *     a line when a read is resumed)
     * @param maxBytes the longest line held whole
     * @param name the file's name in positions
     */
    public LineReader(InputStream in, long startOffset, int maxBytes, String name) {
        this.in = in;
        this.offset = startOffset;
        this.maxBytes = maxBytes;
        this.name = name;
        this.atStreamStart = startOffset == 0;
    }

    /** The byte offset of the next record's start. */
    public long offset() {
        return offset;
    }

    /** The next record, or {@code null} at the end of the stream. */
    public RawRecord next() throws IOException {
        if (atStreamStart) {
            skipByteOrderMark();
        }
        long start = offset;
        lineLength = 0;
        long size = 0;
        MessageDigest digest = null;
        byte[] prefix = null;
        boolean sawAny = false;
        while (true) {
            if (chunkPos == chunkEnd && !fill()) {
                if (!sawAny) {
                    return null;
                }
                break; // a last line without a line end
            }
            sawAny = true;
            int newline = indexOfNewline();
            int end = newline < 0 ? chunkEnd : newline;
            int count = end - chunkPos;
            if (digest == null && size + count > maxBytes) {
                digest = Utf8.sha256Digest();
                digest.update(line, 0, lineLength);
                prefix = Arrays.copyOf(line, Math.min(lineLength, RawRecord.PREFIX_BYTES + 4));
            }
            if (digest == null) {
                append(chunkPos, count);
            } else {
                if (prefix.length < RawRecord.PREFIX_BYTES + 4) {
                    int take = Math.min(count, RawRecord.PREFIX_BYTES + 4 - prefix.length);
                    int was = prefix.length;
                    prefix = Arrays.copyOf(prefix, was + take);
                    System.arraycopy(chunk, chunkPos, prefix, was, take);
                }
                digest.update(chunk, chunkPos, count);
            }
            size += count;
            offset += count;
            chunkPos = end;
            if (newline >= 0) {
                chunkPos++; // the \n
                offset++;
                break;
            }
        }
        String position = name + "@" + start;
        if (digest != null) {
            // a \r before the \n is part of the hashed bytes here; the size says so too
            return RawRecord.oversized(prefix, 0, prefix.length, size, digest.digest(), position);
        }
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return RawRecord.fromBytes(line, 0, length, maxBytes, position);
    }

    private void skipByteOrderMark() throws IOException {
        atStreamStart = false;
        while (chunkEnd - chunkPos < 3 && fillMore()) {
            // read until three bytes are there or the stream ends
        }
        if (chunkEnd - chunkPos >= 3
                && (chunk[chunkPos] & 0xFF) == 0xEF
                && (chunk[chunkPos + 1] & 0xFF) == 0xBB
                && (chunk[chunkPos + 2] & 0xFF) == 0xBF) {
            chunkPos += 3;
            offset += 3;
        }
    }

    private int indexOfNewline() {
        for (int i = chunkPos; i < chunkEnd; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int from, int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(lineLength + count, line.length * 2));
        }
        System.arraycopy(chunk, from, line, lineLength, count);
        lineLength += count;
    }

    /** Refills the empty chunk; false at the end of the stream. */
    private boolean fill() throws IOException {
        chunkPos = 0;
        chunkEnd = 0;
        return fillMore();
    }

    /** Reads more bytes after those in the chunk; false at the end of the stream. */
    private boolean fillMore() throws IOException {
        if (chunkPos > 0) {
            System.arraycopy(chunk, chunkPos, chunk, 0, chunkEnd - chunkPos);
            chunkEnd -= chunkPos;
            chunkPos = 0;
        }
        int read = in.read(chunk, chunkEnd, chunk.length - chunkEnd);
        if (read <= 0) {
            return false;
        }
        chunkEnd += read;
        return true;
    }
}
