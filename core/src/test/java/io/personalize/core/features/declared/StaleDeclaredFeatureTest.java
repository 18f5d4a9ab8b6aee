package io.personalize.core.features.declared;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.segments.CompiledSegments;
import io.personalize.core.segments.Membership;
import io.personalize.core.segments.SegmentCompiler;
import io.personalize.core.segments.SegmentResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A declared profile attribute older than its max age is unknown to rules, default or not. */
class StaleDeclaredFeatureTest {
    @Test
    void aStaleAttributeMakesTheSegmentUnknownAndTheReasonSaysSo() throws Exception {
        DeclaredFeatures declared = DeclaredFeatures.parse(DeclaredFeaturesCompilerTest.EXAMPLE);
        CompiledSegments segments =
                new SegmentCompiler(declared.registry())
                        .compile(
                                """
                                version: 1
                                segments:
                                  - id: monthly
                                    name: Monthly
                                    rule: contract_type == 'month_to_month'
                                """);
        CustomerFeatures fresh = new CustomerFeatures();
        CustomerFeatures stale = new CustomerFeatures();
        stale.staleFeatures = List.of("contract_type");

        // without a value the default (month_to_month) holds; a stale value is unknown instead
        assertThat(segments.evaluate(fresh, 0L, null).get("monthly").membership())
                .isEqualTo(Membership.MEMBER);
        SegmentResult result = segments.evaluate(stale, 0L, null).get("monthly");
        assertThat(result.membership()).isEqualTo(Membership.UNKNOWN);
        assertThat(result.reason())
                .isEqualTo("no value for contract_type (stale: older than its max age PT8760H)");
    }
}
