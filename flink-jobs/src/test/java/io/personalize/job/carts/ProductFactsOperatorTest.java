package io.personalize.job.carts;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.recommend.FactsAnswer;
import io.personalize.core.recommend.FactsRequest;
import io.personalize.core.recommend.PartialModel;
import io.personalize.core.recommend.ProductSignal;
import io.personalize.job.config.CartSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ProductFactsOperatorTest {
    private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    private static final long ASKED_AT = T0 + 60_000;
    private static final int MAX_PARALLELISM = 128;
    private static final CartSettings SETTINGS =
            new CartSettings(
                    Duration.ofHours(1),
                    Duration.ofDays(1),
                    3,
                    Duration.ofHours(1),
                    Duration.ofHours(1),
                    null,
                    Duration.ofSeconds(30),
                    3,
                    Duration.ofDays(14),
                    50);

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ProductSignal, FactsRequest, FactsAnswer>
            harness(int parallelism, int subtask) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new ProductFactsOperator(SETTINGS),
                (ProductSignal s) -> s.productId,
                null,
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    @Test
    void aRequestIsAnsweredWithTheInteractionsUpToItsTimeAndNoneAfter() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement1(ProductSignal.own("before", "shoes", 1.0, T0), T0);
            h.processElement1(ProductSignal.own("at", "shoes", 3.0, ASKED_AT), ASKED_AT);
            h.processElement1(ProductSignal.own("after", "shoes", 5.0, ASKED_AT + 1), ASKED_AT + 1);
            h.processElement2(request(), ASKED_AT);
            watermark(h, ASKED_AT + 10);

            List<FactsAnswer> answers = h.extractOutputValues();
            assertThat(answers).hasSize(1);
            assertThat(answers.get(0).popular)
                    .extracting(p -> p.productId)
                    .containsExactly("at", "before");
            assertThat(answers.get(0).ids).containsExactly("before");
            assertThat(answers.get(0).categories).containsExactly("shoes");
        }
    }

    @Test
    void aWaitingRequestRestoredAtThreeSubtasksIsAnsweredOnceByEachAsOneSubtaskWould()
            throws Exception {
        OperatorSubtaskState snapshot;
        List<FactsAnswer> alone;
        try (var h = harness(1, 0)) {
            h.open();
            for (int i = 0; i < 40; i++) {
                long at = T0 + i * 1_000L;
                String category = i % 3 == 0 ? "bags" : "shoes";
                h.processElement1(ProductSignal.own("p" + i, category, 1.0 + i % 7, at), at);
            }
            h.processElement2(request(), ASKED_AT);
            watermark(h, T0 + 30_000); // the signals before are applied, the request waits
            snapshot = h.snapshot(1, T0 + 30_000);
            watermark(h, ASKED_AT);
            alone = h.extractOutputValues();
        }

        List<FactsAnswer> rescaled = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            try (var h = harness(3, subtask)) {
                h.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                snapshot, MAX_PARALLELISM, 1, 3, subtask));
                h.open();
                watermark(h, ASKED_AT);
                rescaled.addAll(h.extractOutputValues());
            }
        }

        assertThat(alone).hasSize(1);
        assertThat(rescaled).extracting(a -> a.subtask).containsExactly(0, 1, 2);
        assertThat(rescaled).allSatisfy(a -> assertThat(a.subtasks).isEqualTo(3));
        PartialModel one = PartialModel.of(List.of(), "shoes", alone);
        PartialModel three = PartialModel.of(List.of(), "shoes", rescaled);
        assertThat(three.popular(10)).hasSize(10).isEqualTo(one.popular(10));
        assertThat(three.trending("shoes", 10)).isEqualTo(one.trending("shoes", 10));
        for (String id : one.popular(10)) {
            assertThat(three.popularity(id)).as(id).isEqualTo(one.popularity(id)).isPositive();
        }
        assertThat(three.categoryOf("p39")).isEqualTo(one.categoryOf("p39")).isEqualTo("bags");
        assertThat(three.categoryOf("unknown")).isNull();
    }

    /** Categories of two products and the lists, as of {@link #ASKED_AT}. */
    private static FactsRequest request() {
        FactsRequest r = new FactsRequest();
        r.requestId = "r1";
        r.customerKey = "c1";
        r.at = ASKED_AT;
        r.lookups = List.of("before", "p39", "unknown");
        r.lists = true;
        r.trendingCategory = "shoes";
        r.wanted = 10;
        return r;
    }

    private static void watermark(
            KeyedTwoInputStreamOperatorTestHarness<String, ProductSignal, FactsRequest, FactsAnswer>
                    h,
            long at)
            throws Exception {
        h.processWatermark1(new Watermark(at));
        h.processWatermark2(new Watermark(at));
    }
}
