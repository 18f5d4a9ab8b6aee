package io.personalize.job.scoring;

import io.personalize.job.reload.Offer;
import io.personalize.job.reload.Serving;
import io.personalize.models.ModelRegistryUpdate;
import io.personalize.models.ServingModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The models a scoring subtask serves, offered registry readings: each release that fails its
 * checks is refused on its own (what served under that name keeps serving), so a reading may be
 * applied in part. The version is the serving version of every model and role.
 */
final class ModelsServing implements Serving<ModelRegistryUpdate> {
    private final ServingModels models;

    ModelsServing(ServingModels models) {
        this.models = models;
    }

    @Override
    public Offer offer(ModelRegistryUpdate update) {
        Map<String, String> before = models.versions();
        List<Offer.Refusal> refusals = new ArrayList<>();
        for (String refusal : models.apply(update)) {
            // the reading and the refusal make the id; the payload (model bytes) is not kept
            refusals.add(new Offer.Refusal(refusal, update.fingerprint + refusal, null));
        }
        return new Offer(update.hasContent() && !models.versions().equals(before), refusals);
    }

    @Override
    public Object version() {
        return models.versions();
    }
}
