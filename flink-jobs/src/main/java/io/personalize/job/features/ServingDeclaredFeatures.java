package io.personalize.job.features;

import io.personalize.core.features.declared.DeclaredFeatureChanges;
import io.personalize.core.features.declared.DeclaredFeatures;
import io.personalize.core.features.declared.FeatureValidationException;
import io.personalize.job.reload.Offer;
import io.personalize.job.reload.Reloads;
import io.personalize.job.reload.Serving;
import io.personalize.job.segments.SegmentRulesUpdate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The declared features a stage serves, and the reload rule for readings of the declared-features
 * file ({@link Reloads} reports the verdict): a reading replaces them when it compiles ({@code
 * validate features}: every problem with its position), raises the version, and removes or retypes
 * no declared feature that something serving reads ({@link DeclaredFeatureChanges}); anything else
 * is refused while the serving features stay. Plain Java: each stage that reads the registry holds
 * one, with the readers it knows and what it does to apply a change.
 *
 * <p>A reading refused for its content is refused once and let pass quietly while the file stays
 * the same. One refused because of its readers is judged again at each poll, quietly while the
 * verdict is the same: once the user has changed the segment, flow or card that read the feature,
 * the waiting file applies without being touched again.
 */
public final class ServingDeclaredFeatures implements Serving<SegmentRulesUpdate> {

    /** What serves, by description ({@code segment 'vip'}), with the features each reads. */
    @FunctionalInterface
    public interface Readers {
        Map<String, Set<String>> read() throws Exception;
    }

    /**
     * Applies a change in the stage (engine, compilers, state); throws {@link Refused}, having
     * changed nothing, when what the stage serves does not compile with it.
     */
    @FunctionalInterface
    public interface Change {
        void apply(DeclaredFeatures next) throws Exception;
    }

    /** What a stage serves does not compile with the change: it is refused, as a reader's. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private final Readers readers;
    private final Change change;
    private DeclaredFeatures serving;
    private String lastRefused;
    private String readersProblem;

    public ServingDeclaredFeatures(DeclaredFeatures serving, Readers readers, Change change) {
        this.serving = serving;
        this.readers = readers;
        this.change = change;
    }

    public DeclaredFeatures serving() {
        return serving;
    }

    /** Serves {@code restored} (kept in a checkpoint) without judging it again. */
    public void restore(DeclaredFeatures restored) {
        serving = restored;
    }

    @Override
    public Offer offer(SegmentRulesUpdate update) throws Exception {
        String reading = update.text != null ? update.text : update.error;
        if (reading == null) {
            return Offer.unchanged();
        }
        boolean again = reading.equals(lastRefused);
        if (again && readersProblem == null) {
            return Offer.unchanged(); // refused already for what it says; polled again unchanged
        }
        if (update.text == null) {
            return refuse(reading, "cannot apply declared features: " + update.error, null);
        }
        DeclaredFeatures next;
        try {
            next = DeclaredFeatures.parse(update.text);
        } catch (FeatureValidationException e) {
            return refuse(reading, e.getMessage(), null);
        }
        if (next.equals(serving)) {
            lastRefused = null;
            return Offer.unchanged(); // what serves already
        }
        if (next.version() <= serving.version()) {
            return refuse(
                    reading,
                    "declared features changed but their version "
                            + next.version()
                            + " is not above the serving version "
                            + serving.version()
                            + "; raise version to apply them",
                    null);
        }
        Optional<String> breaks = DeclaredFeatureChanges.breaks(serving, next, readers.read());
        if (breaks.isEmpty()) {
            try {
                change.apply(next);
            } catch (Refused e) {
                breaks = Optional.of(e.getMessage());
            }
        }
        if (breaks.isPresent()) {
            if (again && breaks.get().equals(readersProblem)) {
                return Offer.unchanged(); // still waiting for the same readers to change
            }
            return refuse(reading, breaks.get(), breaks.get());
        }
        serving = next;
        lastRefused = null;
        readersProblem = null;
        return Offer.accepted();
    }

    @Override
    public Object version() {
        return serving.version();
    }

    private Offer refuse(String reading, String message, String problemWithReaders) {
        lastRefused = reading;
        readersProblem = problemWithReaders;
        return Offer.refused(message, Objects.requireNonNullElse(reading, message));
    }
}
