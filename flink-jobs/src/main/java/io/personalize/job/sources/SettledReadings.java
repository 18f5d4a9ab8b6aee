package io.personalize.job.sources;

import java.util.Objects;
import java.util.function.Function;

/**
 * Passes a polled file's reading on only once it has settled: a changed content is taken when the
 * next poll reads the same again, so a file caught while being rewritten (truncated, half written)
 * is never applied. Until then the last reading passed on is repeated, which the stages take as
 * unchanged. The first reading passes at once: the job has loaded the same file when it started.
 *
 * <p>Editors and {@code cp} rewrite a file in place; writing a new file and renaming it over the
 * old one is atomic and needs no settling, but the job cannot ask every user to do that.
 *
 * @param <T> the reading a poller emits
 */
public final class SettledReadings<T> {
    private String candidate;
    private T passed;

    /**
     * The reading to emit for {@code raw} (the file's text, or the reason it could not be read):
     * {@code parse(raw)} once {@code raw} has been read twice in a row, else the last one passed.
     */
    public T offer(String raw, Function<String, T> parse) {
        boolean settled = Objects.equals(raw, candidate);
        candidate = raw;
        if (passed == null || settled) {
            passed = parse.apply(raw);
        }
        return passed;
    }
}
