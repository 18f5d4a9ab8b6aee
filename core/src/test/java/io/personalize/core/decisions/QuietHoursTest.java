package io.personalize.core.decisions;

import static io.personalize.core.decisions.Customer.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuietHoursTest {
    /** Quiet 21:00-08:00 (the default), no caps. */
    private static final PolicySettings QUIET_ONLY = PolicySettings.DEFAULTS.withCaps(List.of());

    private static Customer inZone(PolicySettings settings, String zone) {
        Customer customer = new Customer(settings, TestFlow.browseAbandoned());
        customer.features.timezone = zone;
        return customer;
    }

    @Test
    void aTriggerInQuietHoursIsDeferredToTheirEndInTheCustomersZoneAndSentThen() {
        Customer customer = inZone(QUIET_ONLY, "Europe/Paris");

        // 22:30 in Paris (UTC+2 in June)
        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-06-03T20:30:00Z")).get(0);

        assertThat(deferred.outcome).isEqualTo("deferred");
        assertThat(deferred.reasons).containsExactly("quiet_hours: 21:00-08:00 Europe/Paris");
        assertThat(deferred.deferredUntil).isEqualTo(at("2024-06-04T06:00:00Z"));

        Decision sent = customer.timer().get(0);
        assertThat(sent.outcome).isEqualTo("to_send");
        assertThat(sent.decidedAt).isEqualTo(at("2024-06-04T06:00:00Z"));
    }

    @Test
    void outsideQuietHoursItIsSentAtOnce() {
        Customer customer = inZone(QUIET_ONLY, "Europe/Paris");

        // 20:59 in Paris
        assertThat(customer.fire("browse_abandoned", "b1", at("2024-06-03T18:59:00Z")))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @Test
    void theEndOfTheQuietPeriodIsNotQuiet() {
        Customer customer = inZone(QUIET_ONLY, "Europe/Paris");

        // 08:00 in Paris
        assertThat(customer.fire("browse_abandoned", "b1", at("2024-06-04T06:00:00Z")))
                .extracting(d -> d.outcome)
                .containsExactly("to_send");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // spring forward, 31 March 2024 02:00 CET -> 03:00 CEST: 08:00 is 06:00 UTC, not 07:00
        "2024-03-30T21:30:00Z, 2024-03-31T06:00:00Z",
        "2024-03-31T00:30:00Z, 2024-03-31T06:00:00Z",
        "2024-03-31T01:30:00Z, 2024-03-31T06:00:00Z",
        // fall back, 27 October 2024 03:00 CEST -> 02:00 CET: 08:00 is 07:00 UTC, not 06:00
        "2024-10-26T20:30:00Z, 2024-10-27T07:00:00Z",
        "2024-10-27T00:30:00Z, 2024-10-27T07:00:00Z",
        "2024-10-27T01:30:00Z, 2024-10-27T07:00:00Z",
        "2024-10-27T06:30:00Z, 2024-10-27T07:00:00Z"
    })
    void theEndOfTheQuietPeriodIsRightAcrossDaylightSavingChanges(String trigger, String end) {
        Customer customer = inZone(QUIET_ONLY, "Europe/Paris");

        Decision deferred = customer.fire("browse_abandoned", "b1", at(trigger)).get(0);

        assertThat(deferred.outcome).isEqualTo("deferred");
        assertThat(deferred.deferredUntil).isEqualTo(at(end));
        assertThat(customer.timer()).extracting(d -> d.outcome).containsExactly("to_send");
    }

    @Test
    void aQuietPeriodEndingInADaylightSavingGapEndsWhenTheGapDoes() {
        // quiet until 02:30, a local time that does not exist on 31 March 2024 in Paris
        PolicySettings settings =
                QUIET_ONLY.withQuietHours(LocalTime.of(21, 0), LocalTime.of(2, 30));
        Customer customer = inZone(settings, "Europe/Paris");

        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-03-30T23:00:00Z")).get(0);

        // 03:30 CEST, the first moment after the quiet period
        assertThat(deferred.deferredUntil).isEqualTo(at("2024-03-31T01:30:00Z"));
    }

    @Test
    void aQuietPeriodEndingInADaylightSavingOverlapEndsAtItsFirstOccurrenceAfterTheTrigger() {
        // quiet until 02:30, a local time that happens twice on 27 October 2024 in Paris
        PolicySettings settings =
                QUIET_ONLY.withQuietHours(LocalTime.of(21, 0), LocalTime.of(2, 30));
        Customer first = inZone(settings, "Europe/Paris");
        Customer second = inZone(settings, "Europe/Paris");

        // 01:00 CEST: ends at 02:30 CEST
        assertThat(
                        first.fire("browse_abandoned", "b1", at("2024-10-26T23:00:00Z"))
                                .get(0)
                                .deferredUntil)
                .isEqualTo(at("2024-10-27T00:30:00Z"));
        // 02:10 CET, the second 02:10 of the night: ends at 02:30 CET
        assertThat(
                        second.fire("browse_abandoned", "b1", at("2024-10-27T01:10:00Z"))
                                .get(0)
                                .deferredUntil)
                .isEqualTo(at("2024-10-27T01:30:00Z"));
    }

    @Test
    void quietHoursWithinOneDayAreHonouredToo() {
        PolicySettings settings =
                QUIET_ONLY.withQuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0));
        Customer customer = inZone(settings, "UTC");

        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-06-03T12:30:00Z")).get(0);

        assertThat(deferred.reasons).containsExactly("quiet_hours: 12:00-14:00 UTC");
        assertThat(deferred.deferredUntil).isEqualTo(at("2024-06-03T14:00:00Z"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Mars/Olympus_Mons", "not a zone"})
    void anUnknownOrInvalidZoneFallsBackToTheDefault(String zone) {
        Customer customer = inZone(QUIET_ONLY.withDefaultZone(ZoneId.of("Europe/Paris")), zone);

        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-06-03T20:30:00Z")).get(0);

        assertThat(deferred.reasons).containsExactly("quiet_hours: 21:00-08:00 Europe/Paris");
        assertThat(deferred.deferredUntil).isEqualTo(at("2024-06-04T06:00:00Z"));
    }

    @Test
    void aCapEndingInsideQuietHoursDefersToTheirEnd() {
        Customer customer =
                new Customer(
                        PolicySettings.DEFAULTS,
                        TestFlow.abandonedCart(),
                        TestFlow.browseAbandoned());
        customer.fire("cart_abandoned", "c1", at("2024-06-03T10:00:00Z"));

        // the cap allows 02:00 UTC, in the quiet hours (UTC by default)
        Decision deferred =
                customer.fire("browse_abandoned", "b1", at("2024-06-03T11:00:00Z")).get(0);

        assertThat(deferred.reasons)
                .containsExactly("quiet_hours: 21:00-08:00 UTC", "frequency_cap: 1 per 16h");
        assertThat(deferred.deferredUntil).isEqualTo(at("2024-06-04T08:00:00Z"));
    }

    @Test
    void aDecisionStillInQuietHoursWhenDueIsDeferredAgain() {
        Customer customer = new Customer(QUIET_ONLY, TestFlow.browseAbandoned());
        Decision first = customer.fire("browse_abandoned", "b1", at("2024-06-03T21:30:00Z")).get(0);
        assertThat(first.deferredUntil).isEqualTo(at("2024-06-04T08:00:00Z"));
        customer.features.timezone = "America/New_York"; // 04:00 there at 08:00 UTC

        Decision again = customer.timer().get(0);

        assertThat(again.decisionId).isEqualTo(first.decisionId);
        assertThat(again.outcome).isEqualTo("deferred");
        assertThat(again.reasons).containsExactly("quiet_hours: 21:00-08:00 America/New_York");
        assertThat(again.deferredUntil).isEqualTo(at("2024-06-04T12:00:00Z"));
        assertThat(customer.timer())
                .extracting(d -> d.outcome, d -> d.decidedAt)
                .containsExactly(tuple("to_send", at("2024-06-04T12:00:00Z")));
    }

    @Test
    void aDecisionDeferredAgainBeyondTheMaximumDelayExpires() {
        Customer customer =
                new Customer(
                        QUIET_ONLY.withMaxDelay(Duration.ofHours(12)), TestFlow.browseAbandoned());
        customer.fire("browse_abandoned", "b1", at("2024-06-03T21:30:00Z"));
        customer.features.timezone = "America/New_York";

        Decision expired = customer.timer().get(0);

        assertThat(expired.outcome).isEqualTo("expired");
        assertThat(expired.reasons)
                .containsExactly(
                        "quiet_hours: 21:00-08:00 America/New_York", "expired: deferred 12h");
        assertThat(customer.nextWakeUp()).isEqualTo(Long.MAX_VALUE);
    }
}
