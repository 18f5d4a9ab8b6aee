package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.clicked;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.delivered;
import static io.personalize.core.features.Events.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmailFeaturesTest {
    private static final Duration D30 = days(30);

    @Test
    void deliveriesOpensAndClicksCountForThirtyDaysAndDropExactlyAfterThem() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                delivered(T0),
                                opened(T0.plus(HOUR)),
                                clicked(T0.plus(HOUR.multipliedBy(2))),
                                delivered(T0.plus(days(2))));

        CustomerFeatures f = customer.at(T0.plus(D30));
        assertThat(f.emailsDelivered30d).isEqualTo(2);
        assertThat(f.emailOpens30d).isEqualTo(1);
        assertThat(f.emailClicks30d).isEqualTo(1);
        assertThat(customer.nextChangeAt()).contains(T0.plus(D30).plus(MS));

        f = customer.at(T0.plus(D30).plus(MS));
        assertThat(f.emailsDelivered30d).isEqualTo(1);
        assertThat(f.emailOpens30d).isEqualTo(1);
        assertThat(customer.nextChangeAt()).contains(T0.plus(HOUR).plus(D30).plus(MS));

        f = customer.at(T0.plus(HOUR.multipliedBy(2)).plus(D30).plus(MS));
        assertThat(f.emailOpens30d).isZero();
        assertThat(f.emailClicks30d).isZero();
    }

    @Test
    void openAndClickRatesAreOpensAndClicksPerDelivery() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                delivered(T0),
                                delivered(T0.plus(DAY)),
                                delivered(T0.plus(days(2))),
                                delivered(T0.plus(days(3))),
                                opened(T0.plus(HOUR)),
                                opened(T0.plus(days(3)).plus(HOUR)),
                                clicked(T0.plus(days(3)).plus(HOUR)))
                        .features();

        assertThat(f.emailOpenRate30d).isEqualTo(0.5);
        assertThat(f.emailClickRate30d).isEqualTo(0.25);
    }

    @Test
    void ratesAreUnknownWithoutDeliveries() {
        TestCustomer customer = new TestCustomer().apply(opened(T0), clicked(T0.plus(HOUR)));

        assertThat(customer.features().emailOpenRate30d).isNull();
        assertThat(customer.features().emailClickRate30d).isNull();
        assertThat(customer.value("email_open_rate_30d", T0.plus(HOUR))).isNull();
    }

    @Test
    void ratesBecomeUnknownAgainWhenTheDeliveriesLeaveTheWindow() {
        TestCustomer customer = new TestCustomer().apply(delivered(T0), opened(T0.plus(DAY)));

        assertThat(customer.features().emailOpenRate30d).isEqualTo(1.0);
        assertThat(customer.at(T0.plus(D30).plus(MS)).emailOpenRate30d).isNull();
    }

    @Test
    void ratesAreCappedAtOne() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                delivered(T0),
                                opened(T0.plus(HOUR)),
                                opened(T0.plus(DAY)),
                                clicked(T0.plus(HOUR)),
                                clicked(T0.plus(DAY)))
                        .features();

        assertThat(f.emailOpenRate30d).isEqualTo(1.0);
        assertThat(f.emailClickRate30d).isEqualTo(1.0);
    }

    @Test
    void daysSinceLastOpenCountsWholeDaysFromTheLatestOpen() {
        TestCustomer customer = new TestCustomer().apply(delivered(T0));
        assertThat(customer.features().daysSinceLastOpen).isNull();

        customer.apply(opened(T0.plus(DAY)), opened(T0));

        assertThat(customer.at(T0.plus(days(4)).minus(MS)).daysSinceLastOpen).isEqualTo(2);
        assertThat(customer.at(T0.plus(days(4))).daysSinceLastOpen).isEqualTo(3);
        assertThat(customer.at(T0.plus(days(100))).daysSinceLastOpen).isEqualTo(99);
    }

    @Test
    void engagementScoreIsZeroWithoutOpensOrClicks() {
        TestCustomer customer = new TestCustomer().apply(delivered(T0));

        assertThat(customer.features().engagementScore).isZero();
    }

    @Test
    void engagementScoreIsOneMinusExpOfTheWeightedOpensAndClicks() {
        TestCustomer customer = new TestCustomer().apply(opened(T0));
        assertThat(customer.features().engagementScore)
                .isCloseTo(1 - Math.exp(-0.3), within(1e-12));

        customer.apply(clicked(T0));
        assertThat(customer.features().engagementScore)
                .isCloseTo(1 - Math.exp(-1.0), within(1e-12));
    }

    @Test
    void engagementScoreRisesWithEveryOpenAndClickAndStaysBelowOne() {
        TestCustomer customer = new TestCustomer();
        double previous = customer.apply(delivered(T0)).features().engagementScore;
        for (int i = 1; i <= 200; i++) {
            Instant at = T0.plus(HOUR.multipliedBy(i));
            double score =
                    customer.apply(i % 2 == 0 ? opened(at) : clicked(at))
                            .features()
                            .engagementScore;
            assertThat(score).isGreaterThanOrEqualTo(previous).isBetween(0.0, 1.0);
            if (i <= 20) {
                assertThat(score).isGreaterThan(previous);
            }
            previous = score;
        }
    }

    @Test
    void engagementHalvesEveryThirtyDays() {
        TestCustomer customer = new TestCustomer().apply(opened(T0), clicked(T0));

        assertThat(customer.at(T0.plus(D30)).engagementScore)
                .isCloseTo(1 - Math.exp(-0.5), within(1e-12));
        assertThat(customer.at(T0.plus(days(60))).engagementScore)
                .isCloseTo(1 - Math.exp(-0.25), within(1e-12));
    }

    @Test
    void aLateOpenCountsWithTheDecayOfItsOwnTime() {
        TestCustomer customer = new TestCustomer().apply(clicked(T0.plus(D30)), opened(T0));

        assertThat(customer.features().engagementScore)
                .isCloseTo(1 - Math.exp(-(0.7 + 0.15)), within(1e-12));
        assertThat(customer.features().daysSinceLastOpen).isEqualTo(30);
    }
}
