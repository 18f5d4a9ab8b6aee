package io.personalize.job.sinks;

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
import io.personalize.job.PipelineSinks;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The graph's outputs thrown away: the bench measures the stages without the table writes with it,
 * and tests override the outputs they collect.
 */
public class DiscardingSinks implements PipelineSinks {
    @Override
    public void events(DataStream<Event> events) {
        events.sinkTo(new DiscardingSink<>()).name("Discard events");
    }

    @Override
    public void customerFeatures(DataStream<CustomerFeatures> changes) {
        changes.sinkTo(new DiscardingSink<>()).name("Discard features");
    }

    @Override
    public void segmentChanges(DataStream<SegmentChange> changes) {
        changes.sinkTo(new DiscardingSink<>()).name("Discard segment changes");
    }

    @Override
    public void cartAbandonments(DataStream<CartAbandonment> abandonments) {
        abandonments.sinkTo(new DiscardingSink<>()).name("Discard cart abandonments");
    }

    @Override
    public void browseAbandonments(DataStream<BrowseAbandonment> abandonments) {
        abandonments.sinkTo(new DiscardingSink<>()).name("Discard browse abandonments");
    }

    @Override
    public void scores(DataStream<CustomerScore> scores) {
        scores.sinkTo(new DiscardingSink<>()).name("Discard scores");
    }

    @Override
    public void decisions(DataStream<Decision> decisions) {
        decisions.sinkTo(new DiscardingSink<>()).name("Discard decisions");
    }

    @Override
    public void deliveries(DataStream<DeliveryResult> deliveries) {
        deliveries.sinkTo(new DiscardingSink<>()).name("Discard deliveries");
    }

    @Override
    public void conversions(DataStream<Conversion> conversions) {
        conversions.sinkTo(new DiscardingSink<>()).name("Discard conversions");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(new DiscardingSink<>()).name("Discard dead letters");
    }
}
