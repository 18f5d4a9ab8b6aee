package io.personalize.core.features;

import java.util.List;
import java.util.Objects;

/**
 * A list of strings as a map value of a Flink POJO (a bare list there is not serialized as one).
 */
public class StringList {
    public List<String> items;

    public StringList() {}

    public StringList(List<String> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringList other && Objects.equals(items, other.items);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(items);
    }

    @Override
    public String toString() {
        return String.valueOf(items);
    }
}
