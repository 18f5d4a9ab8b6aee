package io.personalize.core.adapters;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.InvalidEventException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads retail transaction exports, one row per order line:
 *
 * <pre>
 * InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
 * 536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
 * </pre>
 *
 * <p>Each row becomes an {@code order_line} event carrying its invoice number as order id, so
 * orders are counted by distinct order id. An invoice number starting with {@code C} is a
 * cancellation: the row becomes {@code order_cancelled} with the quantity made positive. A negative
 * quantity on any other row is refused ({@code invalid_quantity}). Dates are {@code 2010-12-01
 * 08:26:00} or {@code 12/1/2010 8:26}, read in the configured zone. A missing customer id (empty or
 * {@code NA}) keeps the row as a guest row ({@link #isGuestRow}), keyed by an anonymous id {@code
 * invoice:<InvoiceNo>}; {@code 17850.0} is read as {@code 17850}. Quoting, {@code NA}, a BOM and
 * empty lines: see {@link CsvRecordParser}.
 */
public final class RetailCsvParser extends CsvRecordParser {
    private static final long serialVersionUID = 1L;

    public static final String HEADER =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    /** The anonymous id of a guest row (no customer id) starts with this, then the invoice. */
    public static final String GUEST_ID_PREFIX = "invoice:";

    /** The currency of the well-known UK online retail data set. */
    public static final String DEFAULT_CURRENCY = "GBP";

    private static final int WIDTH = 8;
    private static final List<DateTimeFormatter> DATE_FORMATS =
            List.of(
                    DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]"),
                    DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]"));

    private final ZoneId zone;
    private final String currency;

    public RetailCsvParser(EnvelopeParser envelope, ZoneId zone, String currency) {
        super(envelope, HEADER);
        this.zone = zone;
        this.currency = currency;
    }

    @Override
    ObjectNode toEnvelope(String line) throws InvalidEventException {
        CSVRecord row = CsvRows.split(line, WIDTH);
        String invoice = row.get(0).trim();
        boolean cancellation = invoice.startsWith("C") || invoice.startsWith("c");
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("event_id", "rt-" + DeadLetters.id("retail-csv", line));
        event.put("event_type", cancellation ? "order_cancelled" : "order_line");
        event.put("occurred_at", invoiceDate(row.get(4)));
        String customer = customerId(row.get(6));
        if (customer != null) {
            event.put("customer_id", customer);
        } else {
            event.put("anonymous_id", GUEST_ID_PREFIX + invoice);
        }
        ObjectNode order = event.putObject("order");
        order.put("order_id", invoice);
        order.put("currency", currency);
        CsvRows.putText(order, "country", row.get(7));
        ObjectNode item = order.putArray("items").addObject();
        CsvRows.putText(item, "product_id", row.get(1));
        CsvRows.putText(item, "name", row.get(2));
        item.put("quantity", quantity(row.get(3), cancellation));
        CsvRows.putNumber(item, "price", row.get(5));
        return event;
    }

    /**
     * A guest row: a purchase without a customer id, kept under its invoice's anonymous id. It is
     * in the {@code events} table; by default ({@code personalize.input.guest-rows: skip}) it
     * enters no customer's features, segments or decisions.
     */
    public static boolean isGuestRow(Event event) {
        return event.customerId == null
                && event.anonymousId != null
                && event.anonymousId.startsWith(GUEST_ID_PREFIX);
    }

    private static long quantity(String text, boolean cancellation) throws InvalidEventException {
        long quantity;
        try {
            quantity = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidEventException(
                    DeadLetterReason.INVALID_QUANTITY, "Quantity '" + text + "' is not a number");
        }
        // Cancellations are exported with negative quantities; the event type carries the sign.
        return cancellation ? Math.abs(quantity) : quantity;
    }

    private String invoiceDate(String text) throws InvalidEventException {
        String trimmed = text.trim();
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                return LocalDateTime.parse(trimmed, format).atZone(zone).toInstant().toString();
            } catch (DateTimeException e) {
                // try the next layout
            }
        }
        throw new InvalidEventException(
                DeadLetterReason.BAD_TIMESTAMP,
                "InvoiceDate '"
                        + trimmed
                        + "' is neither like 2010-12-01 08:26:00 nor 12/1/2010 8:26");
    }

    private static String customerId(String text) {
        String trimmed = text.trim();
        if (CsvRows.missing(trimmed)
                || trimmed.equalsIgnoreCase("NA")
                || trimmed.equalsIgnoreCase("nan")) {
            return null;
        }
        return trimmed.endsWith(".0") ? trimmed.substring(0, trimmed.length() - 2) : trimmed;
    }
}
