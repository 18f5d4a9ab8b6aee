package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.complained;
import static io.personalize.core.features.Events.consent;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.profile;
import static io.personalize.core.features.Events.unsubscribed;
import static io.personalize.core.features.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProfileAndConsentTest {
    private static final Instant BIRTHDAY_2025 = Instant.parse("2025-06-15T00:00:00Z");

    @Test
    void ageComesFromTheBirthDateAndTurnsOnTheBirthday() {
        TestCustomer customer =
                new TestCustomer().apply(profile(T0, p -> p.birthDate = "1990-06-15"));

        assertThat(customer.at(BIRTHDAY_2025.minus(MS)).age).isEqualTo(34);
        assertThat(customer.at(BIRTHDAY_2025).age).isEqualTo(35);
    }

    @Test
    void withoutABirthDateAgeComesFromTheBirthYear() {
        TestCustomer customer = new TestCustomer().apply(profile(T0, p -> p.birthYear = 1990));

        assertThat(customer.features().age).isEqualTo(35);
    }

    @Test
    void theBirthDateWinsOverTheBirthYear() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                profile(
                                        T0,
                                        p -> {
                                            p.birthDate = "1990-06-15";
                                            p.birthYear = 1980;
                                        }));

        assertThat(customer.features().age).isEqualTo(34);
    }

    @Test
    void anUnreadableBirthDateFallsBackToTheBirthYear() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                profile(
                                        T0,
                                        p -> {
                                            p.birthDate = "15/06/1990";
                                            p.birthYear = 1990;
                                        }));

        assertThat(customer.features().age).isEqualTo(35);
    }

    @Test
    void ageIsUnknownWithoutBirthData() {
        TestCustomer customer = new TestCustomer().apply(profile(T0, p -> p.loyaltyTier = "gold"));

        assertThat(customer.features().age).isNull();
        assertThat(customer.value("age", T0)).isNull();
    }

    @Test
    void profileFieldsTakeTheLatestUpdateAndKeepWhatItLeavesOut() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                profile(
                                        T0,
                                        p -> {
                                            p.loyaltyTier = "silver";
                                            p.country = "DE";
                                            p.timezone = "Europe/Berlin";
                                        }),
                                profile(T0.plus(DAY), p -> p.loyaltyTier = "gold"));

        CustomerFeatures f = customer.features();

        assertThat(f.loyaltyTier).isEqualTo("gold");
        assertThat(f.country).isEqualTo("DE");
        assertThat(f.timezone).isEqualTo("Europe/Berlin");
    }

    @Test
    void aLateOlderProfileUpdateDoesNotOverwriteANewerOne() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                profile(
                                        T0.plus(days(2)),
                                        p -> {
                                            p.loyaltyTier = "gold";
                                            p.country = "FR";
                                        }),
                                profile(
                                        T0.plus(DAY),
                                        p -> {
                                            p.loyaltyTier = "silver";
                                            p.country = "DE";
                                        }));

        assertThat(customer.features().loyaltyTier).isEqualTo("gold");
        assertThat(customer.features().country).isEqualTo("FR");
    }

    @Test
    void aLateOlderProfileUpdateStillFillsFieldsNoNewerUpdateSet() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                profile(T0.plus(days(2)), p -> p.loyaltyTier = "gold"),
                                profile(
                                        T0.plus(DAY),
                                        p -> {
                                            p.loyaltyTier = "silver";
                                            p.timezone = "Europe/Berlin";
                                            p.birthYear = 1990;
                                        }));

        CustomerFeatures f = customer.features();

        assertThat(f.loyaltyTier).isEqualTo("gold");
        assertThat(f.timezone).isEqualTo("Europe/Berlin");
        assertThat(f.age).isEqualTo(35);
    }

    @Test
    void theCountryOfAnOrderCountsAsTheLatestCountryByEventTime() {
        TestCustomer customer =
                new TestCustomer().apply(with(order("o1", T0), e -> e.country = "United Kingdom"));
        assertThat(customer.features().country).isEqualTo("United Kingdom");

        customer.apply(profile(T0.plus(DAY), p -> p.country = "FR"));
        assertThat(customer.features().country).isEqualTo("FR");

        customer.apply(with(order("o0", T0.minus(DAY)), e -> e.country = "DE"));
        assertThat(customer.features().country).isEqualTo("FR");

        customer.apply(with(order("o2", T0.plus(days(2))), e -> e.country = "DE"));
        assertThat(customer.features().country).isEqualTo("DE");
    }

    @Test
    void emailConsentIsUnknownUntilAConsentChange() {
        TestCustomer customer = new TestCustomer().apply(Events.opened(T0));

        assertThat(customer.features().emailConsent).isEqualTo("unknown");
        assertThat(customer.value("email_consent", T0)).isEqualTo("unknown");
    }

    @Test
    void emailConsentFollowsTheLatestConsentChange() {
        TestCustomer customer = new TestCustomer().apply(consent(true, T0));
        assertThat(customer.features().emailConsent).isEqualTo("true");

        customer.apply(consent(false, T0.plus(DAY)));
        assertThat(customer.features().emailConsent).isEqualTo("false");

        customer.apply(consent(true, T0.plus(days(2))));
        assertThat(customer.features().emailConsent).isEqualTo("true");
    }

    @Test
    void unsubscribingOrComplainingWithdrawsEmailConsent() {
        TestCustomer unsubscriber =
                new TestCustomer().apply(consent(true, T0), unsubscribed(T0.plus(DAY)));
        TestCustomer complainer =
                new TestCustomer().apply(consent(true, T0), complained(T0.plus(DAY)));
        TestCustomer unknown = new TestCustomer().apply(unsubscribed(T0));

        assertThat(unsubscriber.features().emailConsent).isEqualTo("false");
        assertThat(complainer.features().emailConsent).isEqualTo("false");
        assertThat(unknown.features().emailConsent).isEqualTo("false");
    }

    @Test
    void aLateOlderConsentDoesNotOverrideANewerUnsubscribe() {
        TestCustomer customer =
                new TestCustomer().apply(unsubscribed(T0.plus(DAY)), consent(true, T0));

        assertThat(customer.features().emailConsent).isEqualTo("false");
    }

    @Test
    void consentForAnotherChannelLeavesEmailConsentAlone() {
        TestCustomer customer =
                new TestCustomer().apply(consent(true, T0), consent("sms", false, T0.plus(DAY)));

        assertThat(customer.features().emailConsent).isEqualTo("true");
    }

    @Test
    void theConsentDefaultAppliesOnlyToCustomersWithoutAnyConsentInformation() {
        FeatureConfig d = FeatureConfig.defaults();
        FeatureConfig granted =
                new FeatureConfig(
                        d.newCustomerWindow(),
                        d.atRiskAfter(),
                        d.lapsedAfter(),
                        d.engagementHalfLife(),
                        d.affinityHalfLife(),
                        d.sessionGap(),
                        d.attributeWeights(),
                        d.attributeCaps(),
                        d.orderHorizon(),
                        Boolean.TRUE);

        assertThat(new TestCustomer(granted).apply(Events.order("o1", T0)).features().emailConsent)
                .isEqualTo("true");
        assertThat(
                        new TestCustomer(granted)
                                .apply(Events.order("o1", T0), Events.unsubscribed(T0.plus(HOUR)))
                                .features()
                                .emailConsent)
                .isEqualTo("false");
        assertThat(new TestCustomer().apply(Events.order("o1", T0)).features().emailConsent)
                .isEqualTo("unknown");
    }
}
