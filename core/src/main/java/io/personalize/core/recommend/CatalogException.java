package io.personalize.core.recommend;

/**
 * A product catalog file was refused or could not be read. The message names the file, the line and
 * the problem, e.g. {@code products.csv: line 7: bad price "12,99"}.
 *
 * <p>Unchecked on purpose: a catalog is loaded once at start-up, where the only sensible reaction
 * to a bad file is to stop with this message.
 */
public class CatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
