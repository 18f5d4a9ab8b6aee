package io.personalize.job.customers;

import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerState;
import io.personalize.core.segments.SegmentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the customer operator keeps per customer, in one value so each event costs one state
 * read and one write (and one TTL check): the feature state, the segment memberships and the event
 * time of the customer's one pending timer. A Flink POJO.
 */
public class CustomerRecord {
    public CustomerState features;
    public SegmentState segments;

    /** Event time of the pending timer; null when none. */
    public Long timerAt;

    /** When the open cart episode began ({@code CartActivities#episodeAfter}); null when none. */
    public Long cartEpisodeStartedAt;

    /** Identity merges under way; null when none (nearly always). */
    public Merges merges;

    public CustomerRecord() {}

    /**
     * What the customer holds while anonymous history is merged in ({@code IdentityFunction}): the
     * linking events whose restated events are not all in yet, the customer's own events that came
     * meanwhile (applied after the merge, in arrival order), and restated events or markers that
     * came before their linking event. A Flink POJO.
     */
    public static class Merges {
        public List<String> awaiting = new ArrayList<>();
        public List<Event> held = new ArrayList<>();
        public List<Event> early = new ArrayList<>();

        public Merges() {}

        boolean isEmpty() {
            return awaiting.isEmpty() && held.isEmpty() && early.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Merges m
                    && awaiting.equals(m.awaiting)
                    && held.equals(m.held)
                    && early.equals(m.early);
        }

        @Override
        public int hashCode() {
            return awaiting.hashCode();
        }
    }

    static CustomerRecord fresh() {
        CustomerRecord r = new CustomerRecord();
        r.features = new CustomerState();
        r.segments = new SegmentState();
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CustomerRecord r
                && Objects.equals(features, r.features)
                && Objects.equals(segments, r.segments)
                && Objects.equals(timerAt, r.timerAt)
                && Objects.equals(cartEpisodeStartedAt, r.cartEpisodeStartedAt)
                && Objects.equals(merges, r.merges);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, segments, timerAt);
    }
}
