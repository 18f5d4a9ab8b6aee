package io.personalize.job.customers;

import io.personalize.core.features.CustomerState;
import io.personalize.core.segments.SegmentState;
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

    public CustomerRecord() {}

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
                && Objects.equals(cartEpisodeStartedAt, r.cartEpisodeStartedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, segments, timerAt);
    }
}
