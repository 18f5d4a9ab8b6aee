package io.personalize.core.features;

import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.addToCart;
import static io.personalize.core.features.Events.cancellation;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.delivered;
import static io.personalize.core.features.Events.inSession;
import static io.personalize.core.features.Events.opened;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The next change of some features, against the next change of all of them. */
class NextChangeOfFeaturesTest {
    private static final Set<String> ALL =
            FeatureRegistry.standard().all().stream()
                    .map(FeatureDefinition::name)
                    .filter(name -> !name.equals("attribute_score")) // watches everything
                    .collect(Collectors.toSet());

    private static TestCustomer customer() {
        return new TestCustomer()
                .apply(
                        order("o1", T0, 80.0),
                        inSession("s1", view("p1", T0.plus(days(2)))),
                        addToCart("p1", 10.0, 1, T0.plus(days(3))),
                        delivered(T0.plus(days(4))),
                        opened(T0.plus(days(5))),
                        order("o2", T0.plus(days(20)), 40.0),
                        cancellation("o2", T0.plus(days(21)), 40.0));
    }

    @Test
    void everyFeatureGivesTheSameNextChangeAsTheWholeEngine() {
        TestCustomer c = customer();
        for (int step = 0; step < 40; step++) {
            long all = c.engine.nextChangeAt(c.state);
            assertThat(c.engine.nextChangeAt(c.state, FeatureEngine.watch(ALL))).isEqualTo(all);
            if (all == Long.MAX_VALUE) {
                return;
            }
            c.engine.advanceTo(c.state, all);
        }
    }

    @Test
    void someFeaturesChangeOnlyWhenTheirOwnWindowsExpire() {
        TestCustomer c = customer();
        long orders60d = c.engine.nextChangeAt(c.state, FeatureEngine.watch(Set.of("orders_60d")));
        assertThat(orders60d).isEqualTo(T0.plus(days(60)).toEpochMilli() + 1);
        assertThat(c.engine.nextChangeAt(c.state, FeatureEngine.watch(Set.of("email_opens_30d"))))
                .isEqualTo(T0.plus(days(35)).toEpochMilli() + 1);
        assertThat(c.engine.nextChangeAt(c.state, FeatureEngine.watch(Set.of("loyalty_tier"))))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(c.engine.nextChangeAt(c.state)).isLessThan(orders60d);
    }

    @Test
    void ageOfALeapDayBirthChangesOnTheFirstOfMarchInOtherYears() {
        TestCustomer c =
                new TestCustomer()
                        .apply(
                                Events.profile(
                                        java.time.Instant.parse("2025-02-20T10:00:00Z"),
                                        p -> p.birthDate = "2000-02-29"));
        assertThat(c.engine.nextAgeChangeAt(c.state))
                .isEqualTo(java.time.Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
        c.engine.advanceTo(c.state, java.time.Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
        assertThat(c.features().age).isEqualTo(25L);
        assertThat(c.engine.nextAgeChangeAt(c.state))
                .isEqualTo(java.time.Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
    }
}
