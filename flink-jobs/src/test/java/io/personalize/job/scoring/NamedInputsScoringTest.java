package io.personalize.job.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.job.Descriptors;
import io.personalize.job.config.ModelSettings;
import io.personalize.job.decisions.DecisionInput;
import io.personalize.models.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A champion with a named string input ({@link TestModels#tierValue()}) in the scoring operator: a
 * change of the string alone is a changed input, so the customer is scored again; a change of
 * nothing the model reads reuses the kept score.
 */
class NamedInputsScoringTest {
    @TempDir Path dir;

    @Test
    void aChangedStringInputIsScoredAgainAndAnUnreadFeatureReusesTheScore() throws Exception {
        Path version = Files.createDirectories(dir.resolve("tier_value/1"));
        TestModels.tierValue().write(version, "model");
        Path registry =
                LogisticModels.registry(
                        dir,
                        "models:\n  tier_value:\n"
                                + "    champion: {path: tier_value/1/model.onnx, version: \"1\"}\n");
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ScoringOperator(settings(registry)),
                        (CustomerFeatures f) -> f.customerKey,
                        Types.STRING)) {
            h.open();
            h.processElement(moment(1_000, "gold", 1));
            h.processWatermark(new Watermark(1_000));
            h.processElement(moment(2_000, "gold", 5)); // orders_30d: not an input of the model
            h.processElement(moment(3_000, "silver", 5));
            h.processWatermark(new Watermark(3_000));

            assertThat(h.getSideOutput(Descriptors.SCORES))
                    .extracting(StreamRecord::getValue)
                    .extracting(s -> s.asOf + " " + s.score)
                    .containsExactly(
                            "1000 " + TestModels.tierValue("gold"),
                            "3000 " + TestModels.tierValue("silver"));
            assertThat(h.extractOutputValues())
                    .extracting((DecisionInput in) -> in.scores.get("tier_value").score)
                    .containsExactly(2.5, 2.5, 2.0);
        }
    }

    private static StreamRecord<CustomerFeatures> moment(long asOf, String tier, long orders) {
        CustomerFeatures f = new CustomerFeatures();
        f.customerKey = "c1";
        f.customerId = "c1";
        f.asOf = asOf;
        f.loyaltyTier = tier;
        f.orders30d = orders;
        return new StreamRecord<>(f, asOf);
    }

    private static ModelSettings settings(Path registry) {
        return new ModelSettings(
                true,
                registry.toString(),
                false,
                Duration.ofSeconds(1),
                100,
                Duration.ofSeconds(5),
                1,
                Duration.ofMinutes(1),
                1.0,
                Duration.ZERO);
    }
}
