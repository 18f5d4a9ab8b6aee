package io.personalize.models.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The training command: generates the demo data, builds point-in-time training sets, trains every
 * shipped model, exports it to ONNX with its card and writes the registry. The same options give
 * the same files.
 *
 * <pre>
 * models/train [--seed 42] [--customers 4000] [--folds 3] [--max-rounds 300] [--output models/shipped]
 * </pre>
 */
public final class TrainModels {
    /** Held here: java.util.logging keeps loggers weakly, and would forget the level. */
    private static final List<Logger> QUIETED = new ArrayList<>();

    private TrainModels() {}

    /** Parsed options. */
    record Options(TrainingRun.Settings settings, Path output) {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("train: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage());
            return;
        }
        for (String line : run(options.settings(), options.output())) {
            System.out.println(line);
        }
    }

    /**
     * Trains every model and writes it under {@code output}.
     *
     * @return what was written and how it scored, one line each
     */
    public static List<String> run(TrainingRun.Settings settings, Path output) throws Exception {
        quietLibraries();
        List<String> report = new ArrayList<>();
        long started = System.nanoTime();
        TrainingRun run = TrainingRun.prepare(settings);
        report.add(
                String.format(
                        Locale.ROOT,
                        "data: %d customers, %d events kept of %d lines, %d snapshots (%.1f s)",
                        run.histories().byCustomer().size(),
                        run.histories().stats().kept(),
                        run.histories().stats().lines(),
                        run.snapshots().size(),
                        seconds(started)));
        ShippedModels shipped = new ShippedModels(output);
        write(shipped, run.purchasePropensity(), "champion", report, started);
        write(shipped, LogisticBaseline.train(run), "challenger", report, started);
        write(shipped, run.churnRisk(), "champion", report, started);
        write(shipped, run.customerLtv(), "champion", report, started);
        write(shipped, SegmentClusters.train(run), "champion", report, started);
        report.add("registry: " + shipped.writeRegistry());
        report.add(String.format(Locale.ROOT, "done in %.1f s", seconds(started)));
        return report;
    }

    private static void write(
            ShippedModels shipped,
            TrainedModel model,
            String slot,
            List<String> report,
            long started)
            throws Exception {
        ShippedModels.Written written = shipped.write(model, slot);
        report.add(model.summary());
        report.add(
                String.format(
                        Locale.ROOT,
                        "  -> %s (%s; %.1f s)",
                        written.model(),
                        written.check(),
                        seconds(started)));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Tribuo logs every fit through java.util.logging; the command prints its own summary. */
    static synchronized void quietLibraries() {
        for (String name : List.of("org.tribuo", "com.oracle.labs")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            QUIETED.add(logger);
        }
    }

    /**
     * @return the options, or null for --help
     */
    static Options parse(String[] args) {
        TrainingRun.Settings d = TrainingRun.Settings.defaults();
        long seed = d.seed();
        int customers = d.customers();
        int folds = d.folds();
        int maxRounds = d.maxRounds();
        Path output = Path.of("models", "shipped");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            String value;
            String name;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                name = arg;
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--seed" -> seed = Long.parseLong(value);
                case "--customers" -> customers = positive(name, value, 50);
                case "--folds" -> folds = positive(name, value, 2);
                case "--max-rounds" -> maxRounds = positive(name, value, 10);
                case "--output" -> output = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (maxRounds % 10 != 0) {
            throw new IllegalArgumentException("--max-rounds must be a multiple of 10");
        }
        return new Options(new TrainingRun.Settings(seed, customers, folds, maxRounds), output);
    }

    private static int positive(String name, String value, int min) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not " + value);
        }
        if (n < min) {
            throw new IllegalArgumentException(name + " must be at least " + min);
        }
        return n;
    }

    static String usage() {
        return String.join(
                "\n",
                "usage: models/train [options]",
                "  --seed N          seed of the data, splits and models (default 42)",
                "  --customers N     about how many customers to generate (default 4000)",
                "  --folds N         cross-validation folds (default 3)",
                "  --max-rounds N    most boosting rounds, a multiple of 10 (default 300)",
                "  --output DIR      where models and registry.yaml go (default models/shipped)");
    }
}
