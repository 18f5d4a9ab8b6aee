package io.personalize.core.features;

import java.util.List;
import java.util.Objects;

/**
 * A declared feature's value at an event time: a profile attribute as the latest profile event set
 * it, or one matching event's value in a windowed aggregate. One of {@link #text}, {@link #number},
 * {@link #flag} and {@link #list} is set (none for a counted event). A Flink POJO.
 */
public class DeclaredValue {
    public long at;
    public String text;
    public Double number;
    public Boolean flag;
    public List<String> list;

    public DeclaredValue() {}

    public DeclaredValue(long at, Object value) {
        this.at = at;
        if (value instanceof String s) {
            text = s;
        } else if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof Boolean b) {
            flag = b;
        } else if (value instanceof List<?> l) {
            list = l.stream().map(String::valueOf).toList();
        }
    }

    /** The value as Java sees it: a String, Double, Boolean, List of String, or null. */
    public Object value() {
        if (text != null) {
            return text;
        }
        if (number != null) {
            return number;
        }
        if (flag != null) {
            return flag;
        }
        return list;
    }

    /**
     * Whether this value wins over {@code other} as the latest: a later time, or at the same time
     * the greater value by its text, so the outcome does not depend on arrival order.
     */
    public boolean laterThan(DeclaredValue other) {
        if (at != other.at) {
            return at > other.at;
        }
        return String.valueOf(value()).compareTo(String.valueOf(other.value())) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeclaredValue other
                && at == other.at
                && Objects.equals(text, other.text)
                && Objects.equals(number, other.number)
                && Objects.equals(flag, other.flag)
                && Objects.equals(list, other.list);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, text, number, flag, list);
    }
}
