package io.personalize.tables.rows;

import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Null-safe conversions to Flink's internal row values. */
final class RowValues {
    private RowValues() {}

    static StringData string(String value) {
        return value == null ? null : StringData.fromString(value);
    }

    static TimestampData timestamp(Long epochMillis) {
        return epochMillis == null ? null : TimestampData.fromEpochMillis(epochMillis);
    }
}
