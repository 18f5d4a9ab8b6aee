package io.personalize.job.delivery;

import io.personalize.core.conversions.Attribution;
import io.personalize.core.conversions.Conversion;
import io.personalize.core.decisions.Decision;
import io.personalize.core.events.Event;
import io.personalize.job.Operators;
import io.personalize.job.config.DeliverySettings;
import io.personalize.job.events.CustomerKeySelector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * The conversion stage of the graph ({@link ConversionFunction}): purchases, opens and clicks with
 * the decisions before them, keyed by customer.
 *
 * <pre>
 * events -> purchases, opens and clicks -> what attribution reads --+--> conversions
 * decisions ---------------------------------------------------------+
 * </pre>
 *
 * <pre>{@code
 * DataStream<Conversion> conversions = ConversionStage.build(events, decisions, settings.delivery());
 * }</pre>
 */
public final class ConversionStage {
    private ConversionStage() {}

    public static DataStream<Conversion> build(
            KeyedStream<Event, String> events,
            DataStream<Decision> decisions,
            DeliverySettings settings) {
        // Only what attribution reads crosses the network and waits in state.
        DataStream<Event> converting =
                events.filter(Attribution::converting)
                        .uid(Operators.CONVERSIONS_EVENTS_UID)
                        .name("Purchases, opens and clicks")
                        .map(Attribution::slim, events.getType())
                        .uid(Operators.CONVERSIONS_SLIM_UID)
                        .name("What attribution reads");
        return converting
                .connect(decisions)
                .keyBy(new CustomerKeySelector(), d -> d.customerKey, Types.STRING)
                .process(
                        new ConversionFunction(
                                new Attribution(
                                        settings.attributionWindow(), settings.attribution()),
                                settings.attributionWindow().toMillis()),
                        TypeInformation.of(Conversion.class))
                .uid(Operators.CONVERSIONS_UID)
                .name(Operators.CONVERSIONS_NAME);
    }
}
