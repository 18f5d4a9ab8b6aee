package io.personalize.core.features.declared;

import static io.personalize.core.testing.Times.DAY;
import static io.personalize.core.testing.Times.HOUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.events.TestParsers;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.features.FeatureConfig;
import io.personalize.core.features.FeatureEngine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared features computed by the feature engine from events as the job parses them. */
class DeclaredFeaturesEngineTest {
    private static final long T0 = Instant.parse("2025-05-01T00:00:00Z").toEpochMilli();

    private final EnvelopeParser parser = TestParsers.envelopeParser();
    private final FeatureEngine engine;
    private final CustomerState state = new CustomerState();

    DeclaredFeaturesEngineTest() throws Exception {
        engine =
                new FeatureEngine(
                        FeatureConfig.defaults(),
                        DeclaredFeatures.parse(DeclaredFeaturesCompilerTest.EXAMPLE));
    }

    private void apply(String envelopeFields, long at) {
        String raw =
                "{\"event_id\":\"e"
                        + at
                        + envelopeFields.hashCode()
                        + "\",\"customer_id\":\"c1\",\"occurred_at\":"
                        + at
                        + ","
                        + envelopeFields
                        + "}";
        ParseResult result = parser.parse(raw, "test", at);
        assertThat(result.isValid()).as(raw).isTrue();
        Event event = result.event();
        engine.apply(state, event);
    }

    private CustomerFeatures at(long time) {
        engine.advanceTo(state, time);
        return engine.snapshot(state, "c:c1", 0L);
    }

    private void supportCall(long at) {
        apply("\"event_type\":\"custom\",\"custom\":{\"type\":\"support_call\"}", at);
    }

    @Test
    void aProfileAttributeIsTheLatestByEventTimeWhateverTheArrivalOrder() {
        apply(
                "\"event_type\":\"profile_updated\",\"profile\":{\"attributes\":"
                        + "{\"contract_type\":\"two_year\",\"tenure_months\":14}}",
                T0 + 2 * HOUR);
        apply(
                "\"event_type\":\"profile_updated\",\"profile\":{\"attributes\":"
                        + "{\"contract_type\":\"one_year\"}}",
                T0 + HOUR);

        CustomerFeatures f = at(T0 + 3 * HOUR);

        assertThat(f.declaredStrings).containsEntry("contract_type", "two_year");
        assertThat(f.declaredNumbers).containsEntry("tenure_months", 14.0);
        assertThat(engine.declared().registry().value("contract_type", f)).isEqualTo("two_year");
    }

    @Test
    void aProfileAttributeOlderThanItsMaxAgeIsStale() {
        apply(
                "\"event_type\":\"profile_updated\",\"profile\":{\"attributes\":"
                        + "{\"contract_type\":\"two_year\"}}",
                T0);
        long expires = T0 + 365 * DAY + 1;
        assertThat(engine.nextChangeAt(state)).isEqualTo(expires);

        assertThat(at(expires - 1).declaredStrings).containsEntry("contract_type", "two_year");
        CustomerFeatures stale = at(expires);
        assertThat(stale.declaredStrings).doesNotContainKey("contract_type");
        assertThat(stale.staleFeatures).containsExactly("contract_type");
    }

    @Test
    void aWindowedCountExpiresAtTheExactMomentAndItsTimerIsAnnounced() {
        supportCall(T0);
        supportCall(T0 + DAY);
        apply("\"event_type\":\"custom\",\"custom\":{\"type\":\"complaint\"}", T0 + DAY);

        assertThat(at(T0 + 2 * DAY).declaredNumbers).containsEntry("support_calls_90d", 2.0);
        assertThat(engine.nextChangeAt(state)).isEqualTo(T0 + 90 * DAY + 1);
        assertThat(at(T0 + 90 * DAY).declaredNumbers).containsEntry("support_calls_90d", 2.0);
        assertThat(at(T0 + 90 * DAY + 1).declaredNumbers).containsEntry("support_calls_90d", 1.0);
        assertThat(engine.declared().registry().value("support_calls_90d", at(T0 + 91 * DAY)))
                .isEqualTo(1L);
    }

    @Test
    void aDistinctCountCountsValuesAndADerivedFeatureReadsOtherDeclaredOnes() {
        for (String category : List.of("shoes", "bags", "shoes")) {
            apply(
                    "\"event_type\":\"product_view\",\"product\":{\"product_id\":\"p\","
                            + "\"category_code\":\""
                            + category
                            + "\"}",
                    T0 + category.length() * HOUR);
        }
        for (int i = 0; i < 4; i++) {
            supportCall(T0 + i * HOUR);
        }

        CustomerFeatures f = at(T0 + DAY);

        assertThat(f.declaredNumbers).containsEntry("distinct_categories_30d", 2.0);
        // ltv_tier reads ltv_base, which reads support_calls_90d (4 > 3)
        assertThat(f.declaredStrings)
                .containsEntry("ltv_base", "at_risk")
                .containsEntry("ltv_tier", "at_risk");
    }

    @Test
    void anEventOlderThanItsWindowAtArrivalIsNotCounted() {
        supportCall(T0 + 100 * DAY);
        supportCall(T0); // 100 days before the clock: already out of the 90-day window

        assertThat(at(T0 + 100 * DAY).declaredNumbers).containsEntry("support_calls_90d", 1.0);
        assertThat(state.declaredWindows.get("support_calls_90d").entries).hasSize(1);
    }

    @Test
    void withoutDeclaredFeaturesTheStateAndSnapshotHaveNone() {
        FeatureEngine plain = new FeatureEngine(FeatureConfig.defaults());
        CustomerState s = new CustomerState();
        plain.apply(
                s,
                parser.parse(
                                "{\"event_id\":\"x\",\"customer_id\":\"c1\",\"occurred_at\":"
                                        + T0
                                        + ",\"event_type\":\"custom\",\"custom\":{\"type\":\"support_call\"}}",
                                "test",
                                TestParsers.NOW)
                        .event());

        CustomerFeatures f = plain.snapshot(s, "c:c1", 0L);

        assertThat(s.declaredWindows).isNull();
        assertThat(s.declaredProfile).isNull();
        assertThat(f.declaredNumbers).isNull();
        assertThat(f.declaredStrings).isNull();
    }

    @Test
    void featuresNoLongerDeclaredLeaveTheStateAtTheNextAdvance() throws Exception {
        supportCall(T0);
        apply(
                "\"event_type\":\"profile_updated\",\"profile\":{\"attributes\":"
                        + "{\"contract_type\":\"two_year\"}}",
                T0);
        FeatureEngine withoutCalls =
                new FeatureEngine(
                        FeatureConfig.defaults(),
                        DeclaredFeatures.parse(
                                DeclaredFeaturesCompilerTest.EXAMPLE
                                        .replace("name: support_calls_90d", "name: calls_90d")
                                        .replace("support_calls_90d > 3", "calls_90d > 3")));

        withoutCalls.advanceTo(state, T0 + 1);
        assertThat(state.declaredWindows).doesNotContainKey("support_calls_90d");
        assertThat(state.declaredProfile).containsKey("contract_type");

        new FeatureEngine(FeatureConfig.defaults()).advanceTo(state, T0 + 2);
        assertThat(state.declaredWindows).isNull();
        assertThat(state.declaredProfile).isNull();
    }

    @Test
    void profileAttributesOfEveryTypeAreReadAndAValueOfAnotherTypeIsIgnored() throws Exception {
        FeatureEngine typed =
                new FeatureEngine(
                        FeatureConfig.defaults(),
                        DeclaredFeatures.parse(
                                """
                                features:
                                  - {name: paperless, kind: profile, type: boolean, path: a.paperless}
                                  - {name: since, kind: profile, type: date, path: a.since}
                                  - {name: channels, kind: profile, type: string_list, path: a.channels}
                                  - {name: seats, kind: profile, type: integer, path: a.seats}
                                """));
        CustomerState s = new CustomerState();
        typed.apply(
                s,
                parser.parse(
                                "{\"event_id\":\"p\",\"customer_id\":\"c1\",\"occurred_at\":"
                                        + T0
                                        + ",\"event_type\":\"profile_updated\",\"profile\":"
                                        + "{\"a\":{\"paperless\":true,\"since\":\"2024-02-01\","
                                        + "\"channels\":[\"sms\",\"push\"],\"seats\":\"three\"}}}",
                                "test",
                                T0)
                        .event());

        CustomerFeatures f = typed.snapshot(s, "c:c1", 0L);
        var registry = typed.declared().registry();

        assertThat(registry.value("paperless", f)).isEqualTo(true);
        assertThat(registry.value("since", f))
                .isEqualTo(Instant.parse("2024-02-01T00:00:00Z").toEpochMilli());
        assertThat(registry.value("channels", f)).isEqualTo(List.of("sms", "push"));
        assertThat(registry.value("seats", f)).as("a string where an integer is declared").isNull();
    }
}
