package io.personalize.job.reload;

/**
 * What a running job serves and reloads from a watched file: segment definitions, flow definitions,
 * the model registry. It alone judges a reading; {@link Reloads} reports the verdict.
 *
 * @param <R> the reading
 */
public interface Serving<R> {

    /** Offers a reading: applied when it passes, else refused while what serves stays. */
    Offer offer(R reading) throws Exception;

    /** The serving version, as the logs name it. */
    Object version();
}
