package io.personalize.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.core.privacy.PersonalDataPolicy;
import io.personalize.job.testing.TestConfig;
import org.junit.jupiter.api.Test;

class PrivacyOptionsTest {
    private static final String SECRET = "privacy-options-secret-0123456";

    @Test
    void readsThePatternsAndTheIdOptionIntoThePolicy() {
        PersonalDataPolicy policy =
                JobSettings.from(
                                TestConfig.of(
                                        "personalize.privacy.dropped-fields=nickname;*_note",
                                        "personalize.privacy.personal-ids=hash"),
                                SECRET)
                        .privacy();

        assertThat(policy.hashIdentifiers()).isTrue();
        assertThat(policy.dropped().patterns()).containsExactly("nickname", "*_note");
        assertThat(policy.hashed().patterns())
                .containsExactlyElementsOf(PersonalDataPolicy.DEFAULT_HASHED);
        assertThat(policy.treatment("", "deliverynote"))
                .isEqualTo(PersonalDataPolicy.Treatment.DROP);
    }

    @Test
    void refusesAnUnknownIdTreatmentNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                JobSettings.from(
                                        TestConfig.of("personalize.privacy.personal-ids=mask"),
                                        SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.privacy.personal-ids")
                .hasMessageContaining("mask");
    }

    @Test
    void refusesAPatternThatIsNotOneNamingTheOption() {
        assertThatThrownBy(
                        () ->
                                JobSettings.from(
                                        TestConfig.of("personalize.privacy.hashed-fields=em*il"),
                                        SECRET))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.privacy.hashed-fields")
                .hasMessageContaining("em*il");
    }
}
