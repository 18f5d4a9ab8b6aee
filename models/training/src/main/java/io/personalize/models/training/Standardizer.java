package io.personalize.models.training;

/**
 * Column means and standard deviations of training rows, optionally after {@code log(1 + max(x,
 * 0))} (for heavy-tailed counts and money): {@code z = (t(x) - mean) / std}. The exported graphs
 * compute the same transform, so the model reads raw feature values.
 */
public final class Standardizer {
    private final boolean log1p;
    private final double[] mean;
    private final double[] std;

    private Standardizer(boolean log1p, double[] mean, double[] std) {
        this.log1p = log1p;
        this.mean = mean;
        this.std = std;
    }

    /** Fits on rows (finite values). A constant column gets std 1. */
    public static Standardizer fit(float[][] rows, boolean log1p) {
        int width = rows[0].length;
        double[] mean = new double[width];
        double[] std = new double[width];
        for (float[] row : rows) {
            for (int f = 0; f < width; f++) {
                mean[f] += transform(row[f], log1p);
            }
        }
        for (int f = 0; f < width; f++) {
            mean[f] /= rows.length;
        }
        for (float[] row : rows) {
            for (int f = 0; f < width; f++) {
                double d = transform(row[f], log1p) - mean[f];
                std[f] += d * d;
            }
        }
        for (int f = 0; f < width; f++) {
            std[f] = Math.sqrt(std[f] / rows.length);
            if (!(std[f] > 1e-12)) {
                std[f] = 1;
            }
        }
        return new Standardizer(log1p, mean, std);
    }

    static double transform(float value, boolean log1p) {
        return log1p ? Math.log1p(Math.max(value, 0f)) : value;
    }

    public double[] apply(float[] row) {
        double[] z = new double[row.length];
        for (int f = 0; f < row.length; f++) {
            z[f] = (transform(row[f], log1p) - mean[f]) / std[f];
        }
        return z;
    }

    public double[][] apply(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = apply(rows[i]);
        }
        return out;
    }

    public boolean log1p() {
        return log1p;
    }

    /** The means, as float32 for a graph. */
    public float[] meanAsFloats() {
        float[] out = new float[mean.length];
        for (int f = 0; f < out.length; f++) {
            out[f] = (float) mean[f];
        }
        return out;
    }

    /** {@code 1 / std}, as float32 for a graph (a multiplication instead of a division). */
    public float[] scaleAsFloats() {
        float[] out = new float[std.length];
        for (int f = 0; f < out.length; f++) {
            out[f] = (float) (1.0 / std[f]);
        }
        return out;
    }

    public double mean(int feature) {
        return mean[feature];
    }

    public double std(int feature) {
        return std[feature];
    }
}
