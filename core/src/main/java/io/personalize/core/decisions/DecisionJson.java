package io.personalize.core.decisions;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.UncheckedIOException;

/**
 * A {@link Decision} as JSON, one object with the {@code decisions} table's column names (snake
 * case: {@code decision_id}, {@code customer_key}, {@code outcome}, {@code reasons}, {@code
 * triggered_at}, ...; times in epoch milliseconds, UTC). What the Kafka decisions topic carries.
 *
 * <pre>{@code
 * String json = DecisionJson.write(decision);
 * Decision back = DecisionJson.read(json);
 * }</pre>
 */
public final class DecisionJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                    .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
                    // readers of the topic keep working when a later version adds fields
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DecisionJson() {}

    public static byte[] writeBytes(Decision decision) {
        try {
            return MAPPER.writeValueAsBytes(decision);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Decision decision) {
        try {
            return MAPPER.writeValueAsString(decision);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws UncheckedIOException when the text is not a decision
     */
    public static Decision read(String json) {
        try {
            return MAPPER.readValue(json, Decision.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
