package io.personalize.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static final int LIMIT = 64;

    private static List<RawRecord> read(byte[] bytes, long start) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(bytes), start, LIMIT, "f");
        List<RawRecord> records = new ArrayList<>();
        for (RawRecord r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    private static List<RawRecord> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void splitsLinesAndDropsTheCarriageReturnOfCrlf() throws IOException {
        List<RawRecord> records = read("a\r\nbb\n\nc");

        assertThat(records).extracting(r -> r.text).containsExactly("a", "bb", "", "c");
        assertThat(records).extracting(r -> r.sizeBytes).containsExactly(1L, 2L, 0L, 1L);
    }

    @Test
    void givesEachLineTheByteOffsetOfItsStartAsPosition() throws IOException {
        List<RawRecord> records = read("x\nx\n\n\nxé\nx");

        assertThat(records)
                .extracting(r -> r.position)
                .containsExactly("f@0", "f@2", "f@4", "f@5", "f@6", "f@10");
    }

    @Test
    void resumedReadsGiveTheSamePositionsAsAWholeRead() throws IOException {
        byte[] file = "one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8);
        List<RawRecord> whole = read(file, 0);
        byte[] rest = java.util.Arrays.copyOfRange(file, 4, file.length);

        assertThat(read(rest, 4)).containsExactlyElementsOf(whole.subList(1, 3));
    }

    @Test
    void skipsAByteOrderMarkOnlyAtTheStartOfTheFile() throws IOException {
        List<RawRecord> records = read("\uFEFFa\n\uFEFFb");

        assertThat(records).extracting(r -> r.text).containsExactly("a", "\uFEFFb");
        assertThat(records.get(0).position).isEqualTo("f@3");
    }

    @Test
    void marksInvalidUtf8InsteadOfReplacingIt() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'c', (byte) 0xC3, '\n', (byte) 0xC0, (byte) 0x80, '\n'};

        List<RawRecord> records = read(bytes, 0);

        assertThat(records).extracting(r -> r.malformedEncoding).containsExactly(false, true, true);
    }

    @Test
    void keepsOnlyAPrefixOfAnOverlongLineWithItsSizeAndTheHashOfTheWhole() throws IOException {
        int size = 300_000;
        String big = "é".repeat(size / 2);
        List<RawRecord> records = read(big + "\nnext");

        RawRecord oversized = records.get(0);
        assertThat(oversized.truncated).isTrue();
        assertThat(oversized.sizeBytes).isEqualTo(size);
        assertThat(Utf8.encodedLength(oversized.text)).isLessThanOrEqualTo(RawRecord.PREFIX_BYTES);
        assertThat(oversized.text).doesNotContain("\uFFFD").startsWith("éé");
        assertThat(oversized.sha256)
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(
                                        Utf8.sha256Digest()
                                                .digest(big.getBytes(StandardCharsets.UTF_8))));
        assertThat(records.get(1).text).isEqualTo("next");
        assertThat(records.get(1).position).isEqualTo("f@" + (size + 1));
    }

    @Test
    void readsAStreamThatDeliversOneByteAtATime() throws IOException {
        byte[] bytes = "\uFEFFab\r\ncd".getBytes(StandardCharsets.UTF_8);
        InputStream trickle =
                new ByteArrayInputStream(bytes) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, 1));
                    }
                };
        LineReader reader = new LineReader(trickle, 0, LIMIT, "f");

        assertThat(reader.next().text).isEqualTo("ab");
        assertThat(reader.next().text).isEqualTo("cd");
        assertThat(reader.next()).isNull();
    }

    @Test
    void readsA50MegabyteLineWithoutEverHoldingItWhole() throws IOException {
        long size = 50L << 20;
        InputStream huge =
                new InputStream() {
                    private long left = size;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'a' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(len, left);
                        java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                        left -= n;
                        return n;
                    }
                };
        var threads =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        RawRecord record = new LineReader(huge, 0, 64 * 1024, "f").next();

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(record.truncated).isTrue();
        assertThat(record.sizeBytes).isEqualTo(size);
        assertThat(allocated).as("bytes allocated to read the line").isLessThan(2L << 20);
    }
}
