package io.personalize.core.features.declared;

import java.io.Serializable;

/**
 * One reason a declared-features file is refused: the feature ({@code *} for the file itself), the
 * position in the file (1-based line and column; 0 when unknown) and what is wrong.
 */
public record FeatureProblem(String feature, int line, int column, String message)
        implements Serializable {

    @Override
    public String toString() {
        String where = line > 0 ? line + ":" + column + ": " : "";
        return where + "feature '" + feature + "': " + message;
    }
}
