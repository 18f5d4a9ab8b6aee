package io.personalize.models.training;

import io.personalize.models.ModelCard;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A trained, exported model: the ONNX bytes, its card, and the check that the file must pass once
 * written: ONNX Runtime's scores of {@code checkRows} equal {@code expected} (what the training
 * library itself predicts) within {@code checkTolerance}.
 *
 * @param summary one line for the console: the metric that matters
 */
public record TrainedModel(
        ModelCard card,
        byte[] onnx,
        List<float[]> checkRows,
        float[] expected,
        double checkTolerance,
        String summary) {

    /**
     * Rows for golden examples, by score: the highest, the lowest, the median, the quartiles, and
     * (for models that take missing values) the first row with a missing value; for a binary model
     * none whose probability is within 0.001 of the 0.5 threshold (its label would be fragile).
     *
     * @return up to {@code count} indices of rows with distinct values
     */
    static List<Integer> goldenRows(float[][] x, float[] scores, boolean binary, int count) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (!binary || Math.abs(scores[i] - 0.5) >= 1e-3) {
                order.add(i);
            }
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> scores[i]).thenComparing(i -> i));
        Set<Integer> picked = new LinkedHashSet<>();
        if (order.isEmpty()) {
            return List.of();
        }
        int n = order.size();
        picked.add(order.get(n - 1));
        picked.add(order.get(0));
        for (int i : order) {
            if (hasNaN(x[i]) && !picked.contains(i)) {
                picked.add(i);
                break;
            }
        }
        picked.add(order.get(n / 2));
        picked.add(order.get(3 * n / 4));
        picked.add(order.get(n / 4));
        List<Integer> out = new ArrayList<>();
        List<FloatBuffer> rows = new ArrayList<>(); // equal content (NaN equals NaN): one example
        for (int i : picked) {
            FloatBuffer row = FloatBuffer.wrap(x[i]);
            if (!rows.contains(row) && out.size() < count) {
                rows.add(row);
                out.add(i);
            }
        }
        return out;
    }

    private static boolean hasNaN(float[] row) {
        for (float v : row) {
            if (Float.isNaN(v)) {
                return true;
            }
        }
        return false;
    }
}
