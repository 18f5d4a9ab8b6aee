package io.personalize.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SuppressionListTest {
    private static final PersonalDataScrubber SCRUBBER =
            new PersonalDataScrubber("suppression-test-secret-0123456789");

    /** The hash an event's {@code profile.email} becomes when parsed. */
    private static String hashOfEventField(String address) {
        ObjectNode profile = new ObjectMapper().createObjectNode().put("email", address);
        SCRUBBER.scrub(profile);
        return profile.get("email_hash").asText();
    }

    @Test
    void aClearAddressIsHashedAsTheParserHashesAnEventsEmail() {
        SuppressionList list = SuppressionList.parse("  Ann.Lee@Example.COM \n", SCRUBBER);

        assertThat(list.hashes()).containsExactly(hashOfEventField("ann.lee@example.com"));
        assertThat(list.hashes()).containsExactly(hashOfEventField(" ANN.LEE@example.com"));
    }

    @Test
    void aHashedEntryIsKeptAsTheSameHashInLowerCase() {
        String hash = hashOfEventField("bob@example.org");

        SuppressionList list = SuppressionList.parse(hash.toUpperCase(), SCRUBBER);

        assertThat(list.hashes()).containsExactly(hash);
    }

    @Test
    void clearAddressesAreNotKept() {
        SuppressionList list = SuppressionList.parse("carol@example.net", SCRUBBER);

        assertThat(list.toHashLines()).doesNotContain("carol").hasSize(64);
        assertThat(list.toString()).doesNotContain("carol");
    }

    @Test
    void blankLinesAndCommentsAreIgnored() {
        SuppressionList list =
                SuppressionList.parse(
                        "# exported 2025-03-01\n\ndan@example.com\r\n  # more\n", SCRUBBER);

        assertThat(list.hashes()).containsExactly(hashOfEventField("dan@example.com"));
    }

    @Test
    void everyBadLineIsRefusedByItsNumberWithoutItsContent() {
        String text = "eve@example.com\nnot an address\n" + "ab12\nfrank at example.com\n";

        assertThatThrownBy(() -> SuppressionList.parse(text, SCRUBBER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 problem(s)")
                .hasMessageContaining("line 2: neither an e-mail address nor its 64-hex-digit hash")
                .hasMessageContaining("line 3:")
                .hasMessageContaining("line 4:")
                .message()
                .doesNotContain("frank")
                .doesNotContain("ab12");
    }
}
