package io.personalize.job;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the pipeline's outputs go. Production and the demo write Iceberg tables ({@link
 * io.personalize.job.sinks.IcebergPipelineSinks}); tests collect; the bench discards.
 */
public interface PipelineSinks {

    /** Every valid, de-duplicated event. */
    void events(DataStream<Event> events);

    /**
     * Every change of every customer's features (after each event and each expiry); a table sink
     * coalesces them itself.
     */
    void customerFeatures(DataStream<CustomerFeatures> changes);

    /** Every segment entered or left, with the rule version that decided it. */
    void segmentChanges(DataStream<SegmentChange> changes);

    /**
     * Every abandonment lifecycle change (abandoned, reminder due, recovered, emptied), with
     * recommendations on abandoned and reminder due.
     */
    void cartAbandonments(DataStream<CartAbandonment> abandonments);

    /** Every browse abandonment. */
    void browseAbandonments(DataStream<BrowseAbandonment> abandonments);

    /**
     * Every score of every serving model (champions and shadow challengers, fallbacks marked); a
     * table sink coalesces them itself.
     */
    void scores(DataStream<CustomerScore> scores);

    /**
     * Every decision outcome (a deferred decision again when it is sent, suppressed or expires),
     * each with its deterministic decision id.
     */
    void decisions(DataStream<Decision> decisions);

    /**
     * How each delivered trigger ended (delivered or failed); only when delivery is configured.
     * After a restore a trigger may end twice, under the same decision id.
     */
    void deliveries(DataStream<DeliveryResult> deliveries);

    /** Purchases attributed to decisions, and opens and clicks linked to them. */
    void conversions(DataStream<Conversion> conversions);

    /** Every refused record, from every stage. */
    void deadLetters(DataStream<DeadLetter> deadLetters);
}
