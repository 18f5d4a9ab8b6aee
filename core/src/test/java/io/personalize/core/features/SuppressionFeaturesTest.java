package io.personalize.core.features;

import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.complained;
import static io.personalize.core.features.Events.delivered;
import static io.personalize.core.features.Events.event;
import static io.personalize.core.features.Events.profile;
import static io.personalize.core.features.Events.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuppressionFeaturesTest {
    private static final Instant T1 = T0.plus(HOUR);
    private static final Instant T2 = T0.plus(HOUR.multipliedBy(2));
    private static final Instant T3 = T0.plus(HOUR.multipliedBy(3));
    private static final Instant T4 = T0.plus(HOUR.multipliedBy(4));
    private static final String HASH = "a".repeat(64);

    private static Event bounce(String type, Instant at) {
        return with(event(EventType.EMAIL_BOUNCED, at), e -> e.bounceType = type);
    }

    private static TestCustomer withThreshold(int threshold) {
        FeatureConfig d = FeatureConfig.defaults();
        return new TestCustomer(
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
                        null,
                        threshold));
    }

    @Test
    void aCustomerWithoutBouncesIsNotSuppressed() {
        CustomerFeatures f = new TestCustomer().apply(delivered(T0)).features();

        assertThat(f.suppressed).isEqualTo("false");
        assertThat(f.suppressionReason).isNull();
        assertThat(f.suppressedAt).isNull();
    }

    @Test
    void aHardBounceSuppressesTheAddressWithItsReasonAndTime() {
        CustomerFeatures f = new TestCustomer().apply(delivered(T0), bounce("hard", T1)).features();

        assertThat(f.suppressed).isEqualTo("true");
        assertThat(f.suppressionReason).isEqualTo("hard_bounce");
        assertThat(f.suppressedAt).isEqualTo(T1.toEpochMilli());
    }

    @Test
    void aHardBounceStaysSuppressedAfterLaterDeliveries() {
        CustomerFeatures f = new TestCustomer().apply(bounce("HARD", T1), delivered(T2)).features();

        assertThat(f.suppressed).isEqualTo("true");
        assertThat(f.suppressionReason).isEqualTo("hard_bounce");
    }

    @Test
    void aComplaintSuppressesTheAddressAndWithdrawsConsent() {
        CustomerFeatures f = new TestCustomer().apply(complained(T2)).features();

        assertThat(f.suppressed).isEqualTo("true");
        assertThat(f.suppressionReason).isEqualTo("complaint");
        assertThat(f.suppressedAt).isEqualTo(T2.toEpochMilli());
        assertThat(f.emailConsent).isEqualTo("false");
    }

    @Test
    void softBouncesBelowTheThresholdDoNotSuppress() {
        CustomerFeatures f =
                withThreshold(3).apply(bounce("soft", T1), bounce("soft", T2)).features();

        assertThat(f.suppressed).isEqualTo("false");
        assertThat(f.softBounces).isEqualTo(2);
    }

    @Test
    void theSoftBounceReachingTheThresholdSuppressesAtItsTime() {
        CustomerFeatures f =
                withThreshold(3)
                        .apply(bounce("soft", T1), bounce("soft", T2), bounce(null, T3))
                        .features();

        assertThat(f.suppressed).isEqualTo("true");
        assertThat(f.suppressionReason).isEqualTo("soft_bounces");
        assertThat(f.suppressedAt).isEqualTo(T3.toEpochMilli());
    }

    @Test
    void aDeliveryBetweenSoftBouncesStartsTheCountAgain() {
        CustomerFeatures f =
                withThreshold(3)
                        .apply(
                                bounce("soft", T0),
                                bounce("soft", T1),
                                delivered(T2),
                                bounce("soft", T3),
                                bounce("soft", T4))
                        .features();

        assertThat(f.suppressed).isEqualTo("false");
        assertThat(f.softBounces).isEqualTo(2);
    }

    @Test
    void aLateSoftBounceFromBeforeTheLatestDeliveryDoesNotCount() {
        CustomerFeatures f =
                withThreshold(2)
                        .apply(delivered(T2), bounce("soft", T1), bounce("soft", T3))
                        .features();

        assertThat(f.suppressed).isEqualTo("false");
        assertThat(f.softBounces).isEqualTo(1);
    }

    @Test
    void theEarliestSuppressionWinsInEveryArrivalOrder() {
        List<Event> history =
                List.of(
                        delivered(T0),
                        complained(T3),
                        bounce("hard", T2),
                        bounce("soft", T1),
                        profile(T0, p -> p.emailHash = HASH));
        for (long seed = 0; seed < 20; seed++) {
            List<Event> shuffled = new ArrayList<>(history);
            Collections.shuffle(shuffled, new java.util.Random(seed));
            CustomerFeatures f = new TestCustomer().apply(shuffled).features();

            assertThat(Map.of("reason", f.suppressionReason, "at", f.suppressedAt))
                    .as("order %s", shuffled)
                    .isEqualTo(Map.of("reason", "hard_bounce", "at", T2.toEpochMilli()));
        }
    }

    @Test
    void anAddressOnTheListIsSuppressedWhileItIsOnIt() {
        TestCustomer customer = new TestCustomer().apply(profile(T0, p -> p.emailHash = HASH));

        boolean joined = Suppression.matchList(customer.state, Set.of(HASH), T1.toEpochMilli());
        CustomerFeatures listed = customer.at(T1);
        boolean left = Suppression.matchList(customer.state, Set.of("b".repeat(64)), 0);
        CustomerFeatures unlisted = customer.at(T2);

        assertThat(joined).isTrue();
        assertThat(listed.suppressed).isEqualTo("true");
        assertThat(listed.suppressionReason).isEqualTo("suppression_list");
        assertThat(listed.suppressedAt).isEqualTo(T1.toEpochMilli());
        assertThat(left).isTrue();
        assertThat(unlisted.suppressed).isEqualTo("false");
    }

    @Test
    void aBounceBeforeTheListingKeepsItsOwnReasonAndTime() {
        TestCustomer customer =
                new TestCustomer().apply(profile(T0, p -> p.emailHash = HASH), bounce("hard", T1));

        Suppression.matchList(customer.state, Set.of(HASH), T2.toEpochMilli());
        CustomerFeatures f = customer.at(T3.plus(Duration.ofMinutes(1)));

        assertThat(f.suppressionReason).isEqualTo("hard_bounce");
        assertThat(f.suppressedAt).isEqualTo(T1.toEpochMilli());
    }
}
