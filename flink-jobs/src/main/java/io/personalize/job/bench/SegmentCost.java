package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.RecordParser;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureEngine;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentEngine;
import io.personalize.core.segments.SegmentState;
import io.personalize.core.segments.SegmentValidationException;
import io.personalize.core.segments.TimeAnchors;
import io.personalize.job.config.JobSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What segments cost per event, in one thread, on the bench's events: the feature engine alone,
 * then with the segment engine re-evaluating only rules whose inputs changed (what the job does),
 * then with every rule evaluated on every event. Each pass runs three times; the fastest counts
 * (this machine's other work only ever adds time).
 */
final class SegmentCost {
    private static final int MAX_EVENTS = 300_000;

    private SegmentCost() {}

    private enum Mode {
        FEATURES_ONLY,
        CHANGED_RULES,
        EVERY_RULE
    }

    static String measure(List<String> lines, JobSettings settings) {
        RecordParser parser = settings.parser(InputFormat.ENVELOPE);
        List<Event> events = new ArrayList<>();
        for (String line : lines) {
            ParseResult result = parser.parse(line, "bench", System.currentTimeMillis());
            if (result.isValid()) {
                events.add(result.event());
            }
            if (events.size() == MAX_EVENTS) {
                break;
            }
        }
        SegmentEngine segments;
        try {
            // the customer stage's share: score segments are evaluated in the scoring stage
            segments =
                    new SegmentEngine(
                            SegmentCompiler.standard().compile(settings.segments()),
                            SegmentEngine.Part.BASE);
        } catch (SegmentValidationException e) {
            throw new IllegalStateException(e);
        }
        FeatureEngine engine = new FeatureEngine(settings.features());
        long[] evaluated = new long[1];
        double base = nanosPerEvent(events, engine, segments, Mode.FEATURES_ONLY, evaluated);
        double changed = nanosPerEvent(events, engine, segments, Mode.CHANGED_RULES, evaluated);
        long evaluatedChanged = evaluated[0];
        double every = nanosPerEvent(events, engine, segments, Mode.EVERY_RULE, evaluated);
        return String.format(
                Locale.ROOT,
                "stage=segments rules=%d events=%d features_us_per_event=%.2f"
                        + " segments_us_per_event=%.2f rules_evaluated_per_event=%.2f"
                        + " every_rule_us_per_event=%.2f",
                segments.segments().evaluationOrder().size(),
                events.size(),
                base / 1000,
                Math.max(0, changed - base) / 1000,
                (double) evaluatedChanged / Math.max(1, events.size()),
                Math.max(0, every - base) / 1000);
    }

    private static double nanosPerEvent(
            List<Event> events,
            FeatureEngine engine,
            SegmentEngine segments,
            Mode mode,
            long[] evaluated) {
        double nanos = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            Map<String, CustomerState> states = new HashMap<>();
            Map<String, SegmentState> memberships = new HashMap<>();
            long count = 0;
            long started = System.nanoTime();
            for (Event event : events) {
                String key = event.customerKey();
                CustomerState state = states.computeIfAbsent(key, k -> new CustomerState());
                engine.apply(state, event);
                CustomerFeatures f = engine.snapshot(state, key, 0L);
                if (mode != Mode.FEATURES_ONLY) {
                    SegmentState s =
                            mode == Mode.EVERY_RULE
                                    ? new SegmentState()
                                    : memberships.computeIfAbsent(key, k -> new SegmentState());
                    TimeAnchors anchors = TimeAnchors.of(engine, state);
                    segments.evaluate(s, f, anchors);
                    segments.nextChangeAt(f, anchors);
                    count += segments.lastEvaluated();
                }
            }
            nanos =
                    Math.min(
                            nanos,
                            (double) (System.nanoTime() - started) / Math.max(1, events.size()));
            evaluated[0] = count;
        }
        return nanos;
    }
}
