package io.personalize.job.events;

import io.personalize.core.events.Event;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys events by {@link Event#customerKey()}: the customer, else the anonymous visitor. */
public final class CustomerKeySelector implements KeySelector<Event, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Event event) {
        return event.customerKey();
    }
}
