package io.personalize.core.features;

import java.util.Objects;

/** A keyed value at an event time: a viewed product, a revenue adjustment. A Flink POJO. */
public class TimedValue {
    public String key;
    public long at;
    public double value;

    public TimedValue() {}

    public TimedValue(String key, long at, double value) {
        this.key = key;
        this.at = at;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimedValue other
                && at == other.at
                && Double.compare(value, other.value) == 0
                && Objects.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, at, value);
    }
}
