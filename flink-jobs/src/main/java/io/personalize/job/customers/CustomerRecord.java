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

    /**
     * An anonymous key merged into a customer: the login's time. The record is kept closed (no rows
     * of its own, only anonymous events of before the login that come late) until its timer drops
     * it; a later event opens the key afresh. Null otherwise.
     */
    public Long closedAt;

    public CustomerRecord() {}

    /**
     * What the customer holds while anonymous history is merged in ({@code IdentityFunction}): the
     * linking events whose merge is not applied yet (in the order they were applied), the
     * customer's own events that came meanwhile (applied after the merge, in arrival order), and
     * the restated events and counting markers not applied yet (they may come in any order, also
     * before their linking event: a batch replay sorts a key's input by time, and they all carry
     * the login's time). A Flink POJO.
     */
    public static class Merges {
        public List<String> awaiting = new ArrayList<>();
        public List<Event> held = new ArrayList<>();
        public List<Event> parts = new ArrayList<>();

        public Merges() {}

        boolean isEmpty() {
            return awaiting.isEmpty() && held.isEmpty() && parts.isEmpty();
        }

        /** A merge whose parts are all in: its marker and its restated events. */
        record Complete(Event marker, List<Event> restated) {}

        /**
         * The first merge under way, its restated events in (event time, event id) order, once it
         * is complete (its marker and as many restated events as the marker counts are in), and
         * takes it out; else null.
         */
        Complete takeFirstComplete() {
            if (awaiting.isEmpty()) {
                return null;
            }
            String linking = awaiting.get(0);
            Event marker = null;
            int restated = 0;
            for (Event part : parts) {
                if (linking.equals(part.mergeOf)) {
                    if (part.restatedFrom == null) {
                        marker = part;
                    } else {
                        restated++;
                    }
                }
            }
            if (marker == null || restated < marker.restatedEvents) {
                return null;
            }
            List<Event> events = new ArrayList<>(restated);
            parts.removeIf(
                    part -> {
                        if (!linking.equals(part.mergeOf)) {
                            return false;
                        }
                        if (part.restatedFrom != null) {
                            events.add(part);
                        }
                        return true;
                    });
            events.sort(IdentityFunction.IN_EVENT_TIME);
            awaiting.remove(0);
            return new Complete(marker, events);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Merges m
                    && awaiting.equals(m.awaiting)
                    && held.equals(m.held)
                    && parts.equals(m.parts);
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
                && Objects.equals(merges, r.merges)
                && Objects.equals(closedAt, r.closedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, segments, timerAt);
    }
}
