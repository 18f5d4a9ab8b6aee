package io.personalize.job;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.delivery.DeliveryResult;
import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.identity.IdentityLink;
import io.personalize.core.scoring.CustomerScore;
import io.personalize.core.segments.SegmentChange;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Where the pipeline's outputs go. Production and the demo write Iceberg tables ({@link
 * io.personalize.job.sinks.IcebergPipelineSinks}); tests collect what they check. Every output is
 * discarded unless a method is overridden.
 */
public interface PipelineSinks {

    /**
     * The keys erased before this run, as salted hashes ({@code erasures} table subjects): their
     * events are dropped from the start. None unless a sink keeps erasures.
     */
    default java.util.Set<String> erasedSubjects() {
        return java.util.Set.of();
    }

    /**
     * Every key the stream forgot ({@code erasure_requested}): a table sink deletes its rows once
     * the checkpoints that wrote them are committed.
     */
    default void erasures(DataStream<io.personalize.core.privacy.ErasureRequest> requests) {
        requests.sinkTo(new DiscardingSink<>()).name("Discard erasure requests");
    }

    /** Every valid, de-duplicated event (and the erasure requests among them). */
    default void events(DataStream<Event> events) {
        events.sinkTo(new DiscardingSink<>()).name("Discard events");
    }

    /**
     * Every change of every customer's features (after each event and each expiry); a table sink
     * coalesces them itself.
     */
    default void customerFeatures(DataStream<CustomerFeatures> changes) {
        changes.sinkTo(new DiscardingSink<>()).name("Discard features");
    }

    /** Every anonymous id linked to a customer (identity stitching). */
    default void identityLinks(DataStream<IdentityLink> links) {
        links.sinkTo(new DiscardingSink<>()).name("Discard identity links");
    }

    /** Every segment entered or left, with the rule version that decided it. */
    default void segmentChanges(DataStream<SegmentChange> changes) {
        changes.sinkTo(new DiscardingSink<>()).name("Discard segment changes");
    }

    /**
     * Every abandonment lifecycle change (abandoned, reminder due, recovered, emptied), with
     * recommendations on abandoned and reminder due.
     */
    default void cartAbandonments(DataStream<CartAbandonment> abandonments) {
        abandonments.sinkTo(new DiscardingSink<>()).name("Discard cart abandonments");
    }

    /** Every browse abandonment. */
    default void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
        abandonments.sinkTo(new DiscardingSink<>()).name("Discard browse abandonments");
    }

    /**
     * Every score of every serving model (champions and shadow challengers, fallbacks marked); a
     * table sink coalesces them itself.
     */
    default void scores(DataStream<CustomerScore> scores) {
        scores.sinkTo(new DiscardingSink<>()).name("Discard scores");
    }

    /**
     * Every decision outcome (a deferred decision again when it is sent, suppressed or expires),
     * each with its deterministic decision id.
     */
    default void decisions(DataStream<Decision> decisions) {
        decisions.sinkTo(new DiscardingSink<>()).name("Discard decisions");
    }

    /**
     * How each delivered trigger ended (delivered or failed); only when delivery is configured.
     * After a restore a trigger may end twice, under the same decision id.
     */
    default void deliveries(DataStream<DeliveryResult> deliveries) {
        deliveries.sinkTo(new DiscardingSink<>()).name("Discard deliveries");
    }

    /** Purchases attributed to decisions, and opens and clicks linked to them. */
    default void conversions(DataStream<Conversion> conversions) {
        conversions.sinkTo(new DiscardingSink<>()).name("Discard conversions");
    }

    /** Every refused record, from every stage. */
    default void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(new DiscardingSink<>()).name("Discard dead letters");
    }
}
