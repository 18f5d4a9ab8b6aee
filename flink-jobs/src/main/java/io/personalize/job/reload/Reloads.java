package io.personalize.job.reload;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;

/**
 * The reload-and-refuse protocol of a definitions file the job watches, in one place: a reading is
 * offered to what serves ({@link Serving}); each refusal is logged with the source and the version
 * that keeps serving, counted ({@code <what>_refused}) and written as a dead letter by subtask 0
 * only (every subtask reads the same file: one letter is enough); an applied reading is logged with
 * its version and the one before.
 *
 * <pre>{@code
 * reloads = new Reloads("flow definitions", DeadLetterReason.INVALID_FLOWS, STAGE, LOG,
 *         metrics.counter("flow_definitions_refused"), subtaskIndex,
 *         letter -> output.collect(Descriptors.DEAD_LETTERS, new StreamRecord<>(letter, letter.ingestedAt)));
 * reloads.offer(reading.source, reading.readAt, serving, reading);
 * }</pre>
 */
public final class Reloads {
    private final String what;
    private final DeadLetterReason reason;
    private final String stage;
    private final Logger log;
    private final Counter refused;
    private final boolean writesDeadLetters;
    private final Consumer<DeadLetter> deadLetters;

    /**
     * @param what what is reloaded, as logged: "segment definitions", "flow definitions", "models"
     * @param reason the dead letters' reason
     * @param stage the dead letters' stage
     * @param log the operator's logger
     * @param refused the operator's {@code <what>_refused} counter
     * @param subtask the index of this subtask: only subtask 0 writes dead letters
     * @param deadLetters where the dead letters go (the operator's side output)
     */
    public Reloads(
            String what,
            DeadLetterReason reason,
            String stage,
            Logger log,
            Counter refused,
            int subtask,
            Consumer<DeadLetter> deadLetters) {
        this.what = what;
        this.reason = reason;
        this.stage = stage;
        this.log = log;
        this.refused = refused;
        this.writesDeadLetters = subtask == 0;
        this.deadLetters = deadLetters;
    }

    /**
     * Offers {@code reading}, read from {@code source} at {@code readAt} (processing time), to what
     * serves, and reports what came of it.
     */
    public <R> Offer offer(String source, long readAt, Serving<R> serving, R reading)
            throws Exception {
        Object before = serving.version();
        Offer offer = serving.offer(reading);
        for (Offer.Refusal refusal : offer.refusals()) {
            refuse(source, readAt, serving.version(), refusal);
        }
        if (offer.applied()) {
            log.info(
                    "Applying {} version {} from {} (was {})",
                    what,
                    serving.version(),
                    source,
                    before);
        }
        return offer;
    }

    private void refuse(String source, long readAt, Object serving, Offer.Refusal refusal) {
        refused.inc();
        log.warn(
                "Refused {} from {}; version {} keeps serving: {}",
                what,
                source,
                serving,
                refusal.message());
        if (writesDeadLetters) {
            DeadLetter letter =
                    DeadLetters.of(
                            reason,
                            refusal.message(),
                            source,
                            refusal.idText(),
                            refusal.payload(),
                            readAt);
            letter.stage = stage;
            deadLetters.accept(letter);
        }
    }
}
