package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.core.privacy.PersonalDataScrubber;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionSettingsTest {
    private static final String SECRET = "0123456789abcdef0123";

    @TempDir Path tmp;

    @Test
    void theListIsReadAtStartWithItsAddressesHashed() throws Exception {
        Path list = tmp.resolve("suppressed.txt");
        Files.writeString(list, "Ann@Example.com\n");
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.SUPPRESSION_LIST, list.toString());

        JobSettings settings = JobSettings.from(conf, SECRET);

        assertThat(settings.suppressionList().hashes())
                .containsExactly(new PersonalDataScrubber(SECRET).hash("ann@example.com"));
        assertThat(settings.watchesSuppression()).isFalse();
        assertThat(settings.features().softBounceThreshold()).isEqualTo(3);
    }

    @Test
    void aListWithABadLineStopsTheStartNamingTheOptionAndTheLine() throws Exception {
        Path list = tmp.resolve("suppressed.txt");
        Files.writeString(list, "ann@example.com\nbob at example\n");
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.SUPPRESSION_LIST, list.toString());

        assertThatThrownBy(() -> JobSettings.from(conf, SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.suppression.list")
                .hasMessageContaining("line 2")
                .message()
                .doesNotContain("bob");
    }

    @Test
    void anUnreadableListStopsTheStartNamingTheOption() {
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.SUPPRESSION_LIST, tmp.resolve("missing.txt").toString());

        assertThatThrownBy(() -> JobSettings.from(conf, SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.suppression.list: cannot read");
    }

    @Test
    void watchingWithoutAListIsRefused() {
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.SUPPRESSION_WATCH, true);

        assertThatThrownBy(() -> JobSettings.from(conf, SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.suppression.watch needs");
    }

    @Test
    void aSoftBounceThresholdBelowOneIsRefusedNamingTheOption() {
        Configuration conf = new Configuration();
        conf.set(PersonalizeOptions.SUPPRESSION_SOFT_BOUNCE_THRESHOLD, 0);

        assertThatThrownBy(() -> JobSettings.from(conf, SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.suppression.soft-bounce-threshold");

        conf.set(PersonalizeOptions.SUPPRESSION_SOFT_BOUNCE_THRESHOLD, 5);
        assertThat(JobSettings.from(conf, SECRET).features().softBounceThreshold()).isEqualTo(5);
    }
}
