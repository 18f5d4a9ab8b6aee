package io.personalize.job.decisions;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.decisions.Decision;
import io.personalize.core.decisions.DecisionEngine;
import io.personalize.core.decisions.Trigger;
import io.personalize.core.decisions.Triggers;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.job.Operators;
import io.personalize.job.config.DecisionSettings;
import io.personalize.job.config.JobSettings;
import io.personalize.job.features.FeatureReaders;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * Builds the decision stage ({@link DecisionOperator}): the customers' scored moments, still
 * partitioned by customer (no shuffle), and the pattern triggers of the cart and browse stages,
 * keyed by customer.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<Decision> decisions =
 *         DecisionStage.build(moments, cartAbandonments, browseAbandonments, segments, settings, ttl, hashSecret);
 * }</pre>
 */
public final class DecisionStage {
    private DecisionStage() {}

    public static SingleOutputStreamOperator<Decision> build(
            DataStream<DecisionInput> moments,
            DataStream<CartAbandonment> cartAbandonments,
            DataStream<BrowseAbandonment> browseAbandonments,
            SegmentDefinitions segments,
            DecisionSettings settings,
            Duration stateTtl,
            String hashSecret) {
        return build(
                moments,
                cartAbandonments,
                browseAbandonments,
                segments,
                settings,
                stateTtl,
                hashSecret,
                null,
                null);
    }

    /**
     * @param declared the watched declared-features file; null when it is not watched
     * @param readers the segments, flows and cards a declared-features change is judged by
     */
    public static SingleOutputStreamOperator<Decision> build(
            DataStream<DecisionInput> moments,
            DataStream<CartAbandonment> cartAbandonments,
            DataStream<BrowseAbandonment> browseAbandonments,
            SegmentDefinitions segments,
            DecisionSettings settings,
            Duration stateTtl,
            String hashSecret,
            JobSettings.DeclaredWatch declared,
            FeatureReaders readers) {
        TypeInformation<DecisionInput> type = TypeInformation.of(DecisionInput.class);
        // only what changed crosses to the decision task (still partitioned, no shuffle)
        DataStream<DecisionInput> slim =
                DataStreamUtils.reinterpretAsKeyedStream(moments, new InputKey())
                        .process(new MomentDeltas(stateTtl), type)
                        .uid(Operators.MOMENT_DELTAS_UID)
                        .name(Operators.MOMENT_DELTAS_NAME);
        KeyedStream<DecisionInput, String> customerMoments =
                DataStreamUtils.reinterpretAsKeyedStream(slim, new InputKey());
        DataStream<DecisionInput> triggers =
                cartAbandonments
                        .flatMap(new CartTriggers(), type)
                        .uid(Operators.DECISION_INPUTS_UID + "carts")
                        .name("Cart abandonments to triggers")
                        .union(
                                browseAbandonments
                                        .map(new BrowseTriggers(), type)
                                        .uid(Operators.DECISION_INPUTS_UID + "browse")
                                        .name("Browse abandonments to triggers"));
        return customerMoments
                .connect(triggers.keyBy(new InputKey(), Types.STRING))
                .transform(
                        Operators.DECISIONS_NAME,
                        TypeInformation.of(Decision.class),
                        new DecisionOperator(
                                        settings.flows(),
                                        segments,
                                        new DecisionEngine(
                                                settings.policy(),
                                                java.time.Clock.systemUTC(),
                                                settings.declared().features()),
                                        settings.triggerWait(),
                                        settings.watchesFlows() ? settings.flowsPath() : null,
                                        settings.flowsPollInterval(),
                                        hashSecret)
                                .withDeclaredFeatures(
                                        settings.declared(),
                                        declared == null ? null : declared.path(),
                                        declared == null ? null : declared.pollInterval(),
                                        readers)
                                .withRuleModels(settings.modelNames()))
                .uid(Operators.DECISIONS_UID);
    }

    static final class InputKey implements KeySelector<DecisionInput, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DecisionInput input) {
            return input.customerKey;
        }
    }

    /** An abandonment or a due reminder triggers; recovered and emptied carts give none. */
    static final class CartTriggers implements FlatMapFunction<CartAbandonment, DecisionInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(CartAbandonment abandonment, Collector<DecisionInput> out) {
            Trigger trigger = Triggers.of(abandonment);
            if (trigger != null) {
                out.collect(DecisionInput.of(trigger));
            }
        }
    }

    static final class BrowseTriggers implements MapFunction<BrowseAbandonment, DecisionInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public DecisionInput map(BrowseAbandonment abandonment) {
            return DecisionInput.of(Triggers.of(abandonment));
        }
    }
}
