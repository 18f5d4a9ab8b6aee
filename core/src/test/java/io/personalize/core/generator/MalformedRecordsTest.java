package io.personalize.core.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MalformedRecordsTest {

    /** One valid event of each of a few shapes (plain, product, order, e-mail, profile). */
    private static Map<String, EnvelopeCheck.Result> baseEvents() {
        Map<String, EnvelopeCheck.Result> bases = new LinkedHashMap<>();
        for (String line : DemoDataGeneratorTest.sample(20_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (r.valid()) {
                bases.putIfAbsent(r.type(), r);
            }
        }
        return bases;
    }

    @Test
    void everyKindEarnsItsDeadLetterReasonWhateverEventItIsMadeFrom() {
        CustomerTimeline tl =
                new CustomerTimeline(new World(DemoDataGenerator.defaults(), 1.0), 3, 1);
        Map<String, EnvelopeCheck.Result> bases = baseEvents();
        assertThat(bases)
                .containsKeys(
                        "page_view",
                        "product_view",
                        "order_completed",
                        "email_opened",
                        "profile_updated",
                        "identify",
                        "order_line");
        for (MalformedRecords.Kind kind : MalformedRecords.Kind.values()) {
            for (EnvelopeCheck.Result base : bases.values()) {
                String record =
                        MalformedRecords.make(
                                kind, (ObjectNode) base.event(), base.occurredAtMillis(), tl);
                assertThat(EnvelopeCheck.check(record).reason())
                        .as(
                                "%s made from %s: %s",
                                kind,
                                base.type(),
                                record.length() > 300 ? record.substring(0, 300) : record)
                        .isEqualTo(kind.deadLetterReason());
            }
        }
    }

    @Test
    void generatedDataContainsEveryKindOfDeadLetter() {
        Set<String> reasons = new HashSet<>();
        for (String line : DemoDataGeneratorTest.sample(100_000)) {
            EnvelopeCheck.Result r = EnvelopeCheck.check(line);
            if (!r.valid()) {
                reasons.add(r.reason());
            }
        }
        Set<String> expected = new HashSet<>();
        for (MalformedRecords.Kind kind : EnumSet.allOf(MalformedRecords.Kind.class)) {
            expected.add(kind.deadLetterReason());
        }
        assertThat(reasons).isEqualTo(expected);
    }

    @Test
    void oversizedRecordsAreLargerThan64KiB() {
        CustomerTimeline tl =
                new CustomerTimeline(new World(DemoDataGenerator.defaults(), 1.0), 5, 1);
        EnvelopeCheck.Result base = baseEvents().get("page_view");
        String record =
                MalformedRecords.make(
                        MalformedRecords.Kind.OVERSIZED,
                        (ObjectNode) base.event(),
                        base.occurredAtMillis(),
                        tl);
        assertThat(record.length()).isGreaterThan(64 * 1024);
        assertThat(record).startsWith("{").endsWith("}");
    }
}
