package io.personalize.core.adapters;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.InvalidEventException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads e-commerce clickstream exports, one row per event:
 *
 * <pre>
 * event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
 * 2019-10-01 00:00:04 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-...
 * </pre>
 *
 * <p>{@code view} becomes {@code product_view}, {@code cart} {@code add_to_cart}, {@code
 * remove_from_cart} stays, and {@code purchase} becomes an {@code order_line} whose order id is the
 * session (all purchases of one session make one order). The event id is derived from the row's
 * content. A row of the wrong width (a truncated last line) is a {@code malformed_csv} dead letter.
 */
public final class ClickstreamCsvParser extends CsvRecordParser {
    private static final long serialVersionUID = 1L;

    public static final String HEADER =
            "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";

    private static final int WIDTH = 9;
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    public ClickstreamCsvParser(EnvelopeParser envelope) {
        super(envelope, HEADER);
    }

    @Override
    ObjectNode toEnvelope(String line) throws InvalidEventException {
        CSVRecord row = CsvRows.split(line, WIDTH);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", "cs-" + DeadLetters.id("clickstream-csv", line));
        event.put("event_type", eventType(row.get(1)));
        event.put("occurred_at", eventTime(row.get(0)));
        putIfPresent(event, "customer_id", row.get(7));
        putIfPresent(event, "session_id", row.get(8));
        ObjectNode product = JsonNodeFactory.instance.objectNode();
        CsvRows.putText(product, "product_id", row.get(2));
        putIfPresent(product, "category_id", row.get(3));
        putIfPresent(product, "category_code", row.get(4));
        putIfPresent(product, "brand", row.get(5));
        CsvRows.putNumber(product, "price", row.get(6));
        if ("purchase".equals(row.get(1))) {
            ObjectNode order = event.putObject("order");
            String session =
                    CsvRows.missing(row.get(8)) ? event.get("event_id").asText() : row.get(8);
            order.put("order_id", "session:" + session);
            order.putArray("items").add(product);
        } else {
            event.set("product", product);
        }
        return event;
    }

    private static String eventType(String type) throws InvalidEventException {
        return switch (type) {
            case "view" -> "product_view";
            case "cart" -> "add_to_cart";
            case "remove_from_cart" -> "remove_from_cart";
            case "purchase" -> "order_line";
            default ->
                    throw new InvalidEventException(
                            DeadLetterReason.UNKNOWN_EVENT_TYPE,
                            "unknown clickstream event_type '" + type + "'");
        };
    }

    /** {@code 2019-10-01 00:00:04 UTC}: a local time and a zone id. */
    private static String eventTime(String text) throws InvalidEventException {
        int space = text.lastIndexOf(' ');
        try {
            if (space < 0) {
                throw new DateTimeException("no zone");
            }
            LocalDateTime local = LocalDateTime.parse(text.substring(0, space), LOCAL_TIME);
            return local.atZone(ZoneId.of(text.substring(space + 1))).toInstant().toString();
        } catch (DateTimeException e) {
            throw new InvalidEventException(
                    DeadLetterReason.BAD_TIMESTAMP,
                    "event_time '" + text + "' is not like 2019-10-01 00:00:04 UTC");
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        CsvRows.putText(node, field, value);
    }
}
