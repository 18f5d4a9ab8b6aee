package io.personalize.job.events;

import io.personalize.core.adapters.RetailCsvParser;
import io.personalize.core.events.Event;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;

/**
 * Keeps guest rows ({@link RetailCsvParser#isGuestRow}: a retail row without a customer id) out of
 * the customer stage, so they are in the {@code events} table but in no features, segments or
 * decisions ({@code personalize.input.guest-rows: skip}). Counted in the accumulator {@code
 * guest_rows} for the demo summary.
 */
public class GuestRowFilter extends RichFilterFunction<Event> {
    private static final long serialVersionUID = 1L;

    public static final String GUEST_ROWS = "guest_rows";

    private transient LongCounter guestRows;

    @Override
    public void open(OpenContext openContext) {
        guestRows = new LongCounter();
        getRuntimeContext().addAccumulator(GUEST_ROWS, guestRows);
    }

    @Override
    public boolean filter(Event event) {
        if (RetailCsvParser.isGuestRow(event)) {
            guestRows.add(1);
            return false;
        }
        return true;
    }
}
