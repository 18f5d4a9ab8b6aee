package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RecordParser;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.job.config.JobSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Bytes of feature state per customer, as Flink's own serializer writes it (what a checkpoint or
 * RocksDB holds): the bench's events are folded per customer by the same {@link FeatureEngine}.
 */
final class FeatureStateSize {
    private FeatureStateSize() {}

    static String measure(List<String> lines, JobSettings settings) {
        RecordParser parser = settings.parser(InputFormat.ENVELOPE);
        FeatureEngine engine = new FeatureEngine(settings.features());
        Map<String, CustomerState> states = new HashMap<>();
        for (String line : lines) {
            ParseResult result = parser.parse(line, "bench", System.currentTimeMillis());
            if (result.isValid()) {
                Event event = result.event();
                engine.apply(
                        states.computeIfAbsent(event.customerKey(), k -> new CustomerState()),
                        event);
            }
        }
        TypeSerializer<CustomerState> serializer =
                TypeInformation.of(CustomerState.class)
                        .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(4096);
        long[] sizes = new long[states.size()];
        int i = 0;
        try {
            for (CustomerState state : states.values()) {
                out.clear();
                serializer.serialize(state, out);
                sizes[i++] = out.length();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Arrays.sort(sizes);
        double mean = Arrays.stream(sizes).average().orElse(0);
        return String.format(
                Locale.ROOT,
                "stage=feature_state customers=%d bytes_per_customer_mean=%.0f p50=%d p95=%d max=%d",
                sizes.length,
                mean,
                percentile(sizes, 0.5),
                percentile(sizes, 0.95),
                sizes.length == 0 ? 0 : sizes[sizes.length - 1]);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0
                ? 0
                : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
