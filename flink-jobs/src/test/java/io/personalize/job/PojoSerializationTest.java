package io.personalize.job;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.Event;
import io.personalize.core.events.LineItem;
import io.personalize.core.events.RawRecord;
import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.features.CustomerState;
import io.personalize.core.segments.SegmentChange;
import io.personalize.core.segments.SegmentState;
import io.personalize.job.customers.CustomerOperator;
import io.personalize.job.customers.CustomerRecord;
import io.personalize.job.segments.SegmentRulesUpdate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.junit.jupiter.api.Test;

/** Records that flow through Flink are serialized as POJOs, never by Kryo. */
class PojoSerializationTest {
    @Test
    void eventsLineItemsAndDeadLettersAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(Event.class);
        assertSerializedAsPojoWithoutKryo(LineItem.class);
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        assertSerializedAsPojoWithoutKryo(RawRecord.class);
    }

    @Test
    void featureStateAndSnapshotsAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(CustomerState.class);
        assertSerializedAsPojoWithoutKryo(CustomerFeatures.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.features.DeclaredValue.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.features.DeclaredWindow.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.features.StringList.class);
    }

    @Test
    void segmentStateChangesAndUpdatesAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(SegmentState.class);
        assertSerializedAsPojoWithoutKryo(SegmentChange.class);
        assertSerializedAsPojoWithoutKryo(SegmentRulesUpdate.class);
        assertSerializedAsPojoWithoutKryo(CustomerOperator.SegmentCount.class);
        assertSerializedAsPojoWithoutKryo(CustomerRecord.class);
    }

    @Test
    void cartPatternRecordsAndTheRecommenderCheckpointAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(io.personalize.core.carts.CartActivity.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.carts.CartAbandonment.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.carts.BrowseAbandonment.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.carts.BrowseState.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.carts.ProductInteraction.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.cep.CartSignal.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.ModelEntry.class);
    }

    @Test
    void theRecommendersSignalsRequestsAnswersAndStateAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.ProductSignal.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.ProductSlice.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.ProductRequest.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.SeedRow.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.FactsRequest.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.FactsAnswer.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.recommend.RankedProduct.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.job.carts.PendingRecommendation.class);
    }

    @Test
    void scoresAndModelRegistryReadingsAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(io.personalize.core.scoring.CustomerScore.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.models.ModelRegistryUpdate.class);
    }

    @Test
    void decisionRecordsAndTheirStateAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(io.personalize.core.decisions.Decision.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.decisions.Trigger.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.decisions.DecisionState.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.decisions.PendingDecision.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.decisions.Send.class);
        assertSerializedAsPojoWithoutKryo(
                io.personalize.job.decisions.MomentDeltas.SentMoment.class);
    }

    @Test
    void decisionInputsUseTheirOwnSerializer() {
        // every moment crosses to the decision stage: written field by field, not as a POJO
        assertThat(TypeInformation.of(io.personalize.job.decisions.DecisionInput.class))
                .isInstanceOf(io.personalize.job.decisions.DecisionInputTypeInfo.class);
    }

    @Test
    void deliveryAndConversionRecordsAndTheirStateAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(io.personalize.core.delivery.DeliveryResult.class);
        assertSerializedAsPojoWithoutKryo(io.personalize.core.conversions.Conversion.class);
        assertSerializedAsPojoWithoutKryo(
                io.personalize.core.conversions.AttributableDecision.class);
    }
}
