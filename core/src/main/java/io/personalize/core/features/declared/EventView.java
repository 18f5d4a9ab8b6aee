package io.personalize.core.features.declared;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalize.core.events.Event;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event as {@code where:} and {@code value:} see it: the envelope (personal fields already
 * hashed or dropped) as a CEL map; whole numbers are ints, others doubles; null fields are absent
 * (test them with {@code has(event.field)}). {@code event_type} is always there.
 */
final class EventView {
    private EventView() {}

    static Map<String, Object> of(JsonNode payload, Event event) {
        Map<String, Object> view = object(payload);
        if (event.eventType != null) {
            view.putIfAbsent("event_type", event.eventType.wireName());
        }
        return view;
    }

    private static Map<String, Object> object(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Object value = value(field.getValue());
            if (value != null) {
                map.put(field.getKey(), value);
            }
        }
        return map;
    }

    private static Object value(JsonNode node) {
        if (node.isObject()) {
            return object(node);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            for (JsonNode item : node) {
                Object value = value(item);
                if (value != null) {
                    list.add(value);
                }
            }
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return null;
    }
}
