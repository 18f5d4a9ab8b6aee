package io.personalize.core.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.TestParsers;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetailCsvParserTest {
    private static final String SOURCE = "online_retail.csv";
    private final RetailCsvParser parser =
            new RetailCsvParser(TestParsers.envelopeParser(), ZoneOffset.UTC, "GBP");

    private ParseResult parse(String line) {
        return parser.parse(line, SOURCE, TestParsers.NOW);
    }

    @Test
    void readsALineItemAsAnOrderLineOfItsInvoice() {
        Event event =
                parse(
                                "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\r")
                        .event();

        assertThat(event.eventType).isEqualTo(EventType.ORDER_LINE);
        assertThat(event.orderId).isEqualTo("536365");
        assertThat(event.customerId).isEqualTo("17850");
        assertThat(event.occurredAt)
                .isEqualTo(Instant.parse("2010-12-01T08:26:00Z").toEpochMilli());
        assertThat(event.items.get(0).productId).isEqualTo("85123A");
        assertThat(event.items.get(0).name).isEqualTo("WHITE HANGING HEART T-LIGHT HOLDER");
        assertThat(event.items.get(0).quantity).isEqualTo(6);
        assertThat(event.orderTotal).isEqualTo(6 * 2.55);
        assertThat(event.currency).isEqualTo("GBP");
        assertThat(event.country).isEqualTo("United Kingdom");
    }

    @Test
    void readsUsStyleDatesQuotedDescriptionsAndFloatCustomerIds() {
        Event event =
                parse(
                                "536367,84879,\"ASSORTED COLOUR BIRD ORNAMENT, LARGE\",32,12/1/2010 8:34,1.69,13047.0,United Kingdom")
                        .event();

        assertThat(event.occurredAt)
                .isEqualTo(Instant.parse("2010-12-01T08:34:00Z").toEpochMilli());
        assertThat(event.items.get(0).name).isEqualTo("ASSORTED COLOUR BIRD ORNAMENT, LARGE");
        assertThat(event.customerId).isEqualTo("13047");
    }

    @Test
    void turnsACancellationIntoAnOrderCancelledWithAPositiveQuantity() {
        Event event =
                parse("C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom")
                        .event();

        assertThat(event.eventType).isEqualTo(EventType.ORDER_CANCELLED);
        assertThat(event.orderId).isEqualTo("C536379");
        assertThat(event.items.get(0).quantity).isEqualTo(1);
        assertThat(event.orderTotal).isEqualTo(27.5);
    }

    @Test
    void keepsARowWithoutCustomerIdUnderAnAnonymousInvoiceKey() {
        Event empty = parse("536414,22139,,56,2010-12-01 11:52:00,0,,United Kingdom").event();
        Event na =
                parse("536544,21773,DECORATIVE BOX,1,2010-12-01 14:32:00,2.51,NA,United Kingdom")
                        .event();

        assertThat(empty.customerId).isNull();
        assertThat(empty.customerKey()).isEqualTo("a:invoice:536414");
        assertThat(na.customerKey()).isEqualTo("a:invoice:536544");
    }

    @Test
    void refusesANegativeQuantityOutsideACancellationAndATruncatedLine() {
        assertThat(
                        parse("536589,21777,,-10,2010-12-01 16:50:00,0,,United Kingdom")
                                .deadLetter()
                                .reason)
                .isEqualTo("invalid_quantity");
        assertThat(parse("536590,21777,RECIPE BOX,2,2010-12-01 16").deadLetter().reason)
                .isEqualTo("malformed_csv");
        assertThat(parse("536591,21777,RECIPE BOX,2,01.12.2010,1.0,1,UK").deadLetter().reason)
                .isEqualTo("bad_timestamp");
    }

    @Test
    void skipsTheHeader() {
        ParseResult header = parse(RetailCsvParser.HEADER);
        assertThat(header.isValid() || header.isInvalid()).isFalse();
    }

    @Test
    void skipsAHeaderWithQuotedNamesAsRPandasAndExcelWriteIt() {
        String quoted =
                "\"InvoiceNo\",\"StockCode\",\"Description\",\"Quantity\",\"InvoiceDate\","
                        + "\"UnitPrice\",\"CustomerID\",\"Country\"";
        assertThat(skipped(parse(quoted))).isTrue();
        assertThat(skipped(parse("\uFEFF" + quoted + "\r"))).isTrue();
    }

    @Test
    void skipsAnEmptyLineInsteadOfDeadLetteringIt() {
        assertThat(skipped(parse(""))).isTrue();
        assertThat(skipped(parse("\r"))).isTrue();
    }

    @Test
    void readsQuotedFieldsAndTakesNaAsAMissingValue() {
        Event event =
                parse("\"536370\",\"22728\",NA,24,\"2010-12-01 08:45:00\",3.75,NA," + "\"France\"")
                        .event();

        assertThat(event.orderId).isEqualTo("536370");
        assertThat(event.customerId).isNull();
        assertThat(event.anonymousId).isEqualTo("invoice:536370");
        assertThat(RetailCsvParser.isGuestRow(event)).isTrue();
        assertThat(event.items.get(0).name).isNull();
        assertThat(event.items.get(0).productId).isEqualTo("22728");
        assertThat(event.orderTotal).isEqualTo(24 * 3.75);
    }

    private static boolean skipped(ParseResult result) {
        return !result.isValid() && !result.isInvalid();
    }
}
