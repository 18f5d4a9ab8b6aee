package io.personalize.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/features.md is generated from the registry, so the docs cannot drift from the code. After
 * changing a feature, regenerate it with {@code mvn -pl core test -Dtest=FeatureDocsTest
 * -Dfeatures.docs.write=true}.
 */
class FeatureDocsTest {
    private static final Path DOC = Path.of("..", "docs", "features.md");

    static String expected() {
        return "# Customer features\n\n"
                + "Generated from `io.personalize.core.features.FeatureRegistry` by `FeatureDocsTest`;"
                + " do not edit by hand.\n"
                + "Windows are inclusive: an event at t is in a window of length W while"
                + " `as_of - t <= W`, and leaves it at exactly `t + W + 1 ms` (a timer fires then, no"
                + " new event needed). Orders and sessions with ids keep exact times; views, cart adds,"
                + " web events without a session id and email events are merged to the clock"
                + " minute. The same events give the same values in any arrival order, except the"
                + " open cart, a 21st affinity category and a soft-bounce run a late delivery"
                + " would have broken (see their rows), and suppressed_at of the suppression list"
                + " (the time the list met the customer). A missing value with no"
                + " default is unknown to"
                + " rules. Max age: a value not refreshed (by an event or a timer) for longer is"
                + " stale.\n\n"
                + FeatureRegistry.standard().markdownTable();
    }

    @Test
    void theFeatureDocIsTheRegistryAsATable() throws Exception {
        if (Boolean.getBoolean("features.docs.write")) {
            Files.writeString(DOC, expected());
        }
        assertThat(Files.readString(DOC))
                .as("docs/features.md is stale: regenerate it (see this test's Javadoc)")
                .isEqualTo(expected());
    }
}
