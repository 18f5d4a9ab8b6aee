package io.personalize.models.training;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Comparator;

/** Evaluation metrics, computed in double precision, deterministic. */
public final class Metrics {
    private Metrics() {}

    /**
     * Area under the ROC curve: the probability that a random positive scores above a random
     * negative (ties count half). NaN when one class is absent.
     */
    public static double rocAuc(float[] scores, float[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] > 0.5f) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0)
                / ((double) positives * negatives);
    }

    public static double rmse(float[] predictions, float[] targets) {
        double sum = 0;
        for (int i = 0; i < predictions.length; i++) {
            double d = (double) predictions[i] - targets[i];
            sum += d * d;
        }
        return Math.sqrt(sum / predictions.length);
    }

    public static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** Share of labels above 0.5. */
    public static double positiveRate(float[] labels) {
        int positives = 0;
        for (float label : labels) {
            if (label > 0.5f) {
                positives++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) positives / labels.length;
    }

    /**
     * Mean silhouette of points in {@code x} assigned to {@code labels} (squared differences,
     * Euclidean distance): near 1 for tight, separated clusters, near 0 for overlapping ones.
     */
    public static double silhouette(double[][] x, int[] labels, int k) {
        int n = x.length;
        double total = 0;
        int counted = 0;
        int[] sizes = new int[k];
        for (int label : labels) {
            sizes[label]++;
        }
        double[] sums = new double[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(sums, 0);
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    sums[labels[j]] += Math.sqrt(squaredDistance(x[i], x[j]));
                }
            }
            int own = labels[i];
            if (sizes[own] <= 1) {
                continue; // silhouette of a singleton is 0 by convention; leave it out
            }
            double a = sums[own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != own && sizes[c] > 0) {
                    b = Math.min(b, sums[c] / sizes[c]);
                }
            }
            if (Double.isInfinite(b)) {
                continue;
            }
            total += (b - a) / Math.max(a, b);
            counted++;
        }
        return counted == 0 ? Double.NaN : total / counted;
    }

    static double squaredDistance(double[] a, double[] b) {
        double sum = 0;
        for (int f = 0; f < a.length; f++) {
            double d = a[f] - b[f];
            sum += d * d;
        }
        return sum;
    }

    /** Rounded to {@code digits} decimals, for cards (stable text, no float noise). */
    public static double round(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }
}
