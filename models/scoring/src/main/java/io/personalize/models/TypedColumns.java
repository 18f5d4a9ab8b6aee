package io.personalize.models;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The non-float columns of rows written out exactly (doubles by their bits, longs, booleans,
 * strings with their length; a missing string apart from an empty one), so two customers' inputs
 * compare as bytes.
 */
final class TypedColumns {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    private final DataOutputStream out = new DataOutputStream(bytes);

    static boolean any(FeatureVectorizer.Row row) {
        return row.doubles().length + row.longs().length + row.bools().length + row.strings().length
                > 0;
    }

    void add(FeatureVectorizer.Row row) {
        try {
            for (double v : row.doubles()) {
                out.writeLong(Double.doubleToLongBits(v));
            }
            for (long v : row.longs()) {
                out.writeLong(v);
            }
            for (boolean v : row.bools()) {
                out.writeBoolean(v);
            }
            for (String v : row.strings()) {
                if (v == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }
}
