package io.personalize.core.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The matching events of one declared windowed feature still in its window: their times and values,
 * in arrival order. A Flink POJO (a list inside a map of keyed state is not one).
 */
public class DeclaredWindow {
    public List<DeclaredValue> entries = new ArrayList<>();

    public DeclaredWindow() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof DeclaredWindow other && Objects.equals(entries, other.entries);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(entries);
    }
}
