package io.personalize.models;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.personalize.core.features.FeatureRegistry;
import io.personalize.models.ModelCard.Golden;
import io.personalize.models.ModelCard.OutputKind;
import io.personalize.models.ModelCard.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One loaded, validated model version on ONNX Runtime: a session (one {@link OrtEnvironment} per
 * JVM), the card it was checked against, and batched scoring.
 *
 * <p>Loading checks the card against what the model declares (input names, element types, the
 * number of features, the output's name, type and width) and scores the card's golden examples; any
 * mismatch is refused with a {@link ModelException} naming it. Models whose batch dimension is
 * fixed at 1 (older onnxmltools exports) are scored row by row.
 *
 * <pre>{@code
 * try (OnnxModel model = OnnxModel.load(Path.of("model.onnx"), ModelCards.read(Path.of("model.yaml")), 1)) {
 *     List<Prediction> scores = model.score(List.of(model.vectorizer().row(features).values()));
 * }
 * }</pre>
 *
 * Not thread-safe for {@link #close}; scoring from several threads is safe (ONNX Runtime sessions
 * are).
 */
public final class OnnxModel implements AutoCloseable {
    private final ModelCard card;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final FeatureVectorizer vectorizer;
    private final boolean fixedBatch;
    private final Set<String> requested;
    private final int positiveColumn;

    private OnnxModel(
            ModelCard card,
            OrtEnvironment env,
            OrtSession session,
            boolean fixedBatch,
            FeatureRegistry registry) {
        this.card = card;
        this.env = env;
        this.session = session;
        this.vectorizer = new FeatureVectorizer(card, registry);
        this.fixedBatch = fixedBatch;
        this.requested = Set.of(card.output().name());
        this.positiveColumn = card.labels().size() - 1;
    }

    /** Loads {@code model.onnx} with its card next to it ({@code model.yaml}). */
    public static OnnxModel load(Path model, int intraOpThreads) throws ModelException {
        return load(model, ModelCards.read(ModelCards.cardFor(model)), intraOpThreads);
    }

    public static OnnxModel load(Path model, ModelCard card, int intraOpThreads)
            throws ModelException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (Exception e) {
            throw new ModelException("model " + card.id(), "cannot read " + model + ": " + e, e);
        }
        return load(bytes, card, intraOpThreads);
    }

    /**
     * Creates a session for {@code onnx}, checks it against {@code card} and scores the golden
     * examples.
     *
     * @throws ModelException naming every mismatch; nothing stays open then
     */
    public static OnnxModel load(byte[] onnx, ModelCard card, int intraOpThreads)
            throws ModelException {
        return load(onnx, card, intraOpThreads, FeatureRegistry.standard());
    }

    /** As {@link #load(byte[], ModelCard, int)}, the card's features named in {@code registry}. */
    public static OnnxModel load(
            byte[] onnx, ModelCard card, int intraOpThreads, FeatureRegistry registry)
            throws ModelException {
        // a card built in code has not been through ModelCards.parse: check it the same way
        ModelCards.check(card, registry, "card");
        String subject = "model " + card.id();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int threads = Math.max(1, intraOpThreads);
        OrtSession session = session(env, onnx, threads, subject);
        try {
            boolean fixedBatch = checkSignature(card, session, subject);
            OnnxModel model = new OnnxModel(card, env, session, fixedBatch, registry);
            Integer goldenThreads = card.goldenThreads();
            if (goldenThreads == null || goldenThreads == threads) {
                model.checkGolden(subject);
            } else {
                // the golden scores came from another thread count: checked in a session like it
                OrtSession golden = session(env, onnx, goldenThreads, subject);
                try {
                    new OnnxModel(card, env, golden, fixedBatch, registry)
                            .checkGolden(subject + " (golden_threads " + goldenThreads + ")");
                } finally {
                    closeQuietly(golden);
                }
            }
            return model;
        } catch (ModelException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static OrtSession session(OrtEnvironment env, byte[] onnx, int threads, String subject)
            throws ModelException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new ModelException(subject, "ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    public ModelCard card() {
        return card;
    }

    public FeatureVectorizer vectorizer() {
        return vectorizer;
    }

    /** Whether the model's batch dimension is fixed at 1, so rows are scored one at a time. */
    public boolean fixedBatch() {
        return fixedBatch;
    }

    /**
     * Scores rows (each {@link FeatureVectorizer#width()} values) in one call, or one call per row
     * for a fixed-batch model.
     *
     * @throws ModelException when ONNX Runtime fails or the output is not what the card says
     */
    public List<Prediction> score(List<float[]> rows) throws ModelException {
        if (rows.isEmpty()) {
            return List.of();
        }
        int width = vectorizer.width();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != width) {
                throw new ModelException(
                        "model " + card.id(),
                        List.of(
                                "row "
                                        + (i + 1)
                                        + " has "
                                        + rows.get(i).length
                                        + " values, the model reads "
                                        + width
                                        + " features "
                                        + card.features()));
            }
        }
        if (!fixedBatch) {
            return run(rows);
        }
        List<Prediction> out = new ArrayList<>(rows.size());
        for (float[] row : rows) {
            out.addAll(run(List.of(row)));
        }
        return out;
    }

    private List<Prediction> run(List<float[]> rows) throws ModelException {
        int n = rows.size();
        int width = vectorizer.width();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            if (card.inputs().oneTensorPerFeature()) {
                for (int f = 0; f < width; f++) {
                    FloatBuffer column = direct(n);
                    for (float[] row : rows) {
                        column.put(row[f]);
                    }
                    column.flip();
                    inputs.put(
                            card.features().get(f),
                            OnnxTensor.createTensor(env, column, new long[] {n, 1}));
                }
            } else {
                FloatBuffer matrix = direct(n * width);
                for (float[] row : rows) {
                    matrix.put(row, 0, width);
                }
                matrix.flip();
                inputs.put(
                        card.inputs().tensor(),
                        OnnxTensor.createTensor(env, matrix, new long[] {n, width}));
            }
            try (OrtSession.Result result = session.run(inputs, requested)) {
                OnnxValue value =
                        result.get(card.output().name())
                                .orElseThrow(() -> new IllegalStateException("no output"));
                return read(value, n);
            }
        } catch (OrtException | RuntimeException e) {
            throw new ModelException("model " + card.id(), "scoring failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private List<Prediction> read(OnnxValue value, int n) throws OrtException {
        List<Prediction> out = new ArrayList<>(n);
        String output = "output '" + card.output().name() + "'";
        switch (card.output().kind()) {
            case PROBABILITIES -> {
                OnnxTensor tensor = (OnnxTensor) value;
                int classes = card.labels().size();
                // ONNX Runtime does not hold an output to its declared shape: check what came out
                long[] shape = tensor.getInfo().getShape();
                if (shape.length != 2 || shape[0] != n || shape[1] != classes) {
                    throw new IllegalStateException(
                            output
                                    + " has shape "
                                    + Arrays.toString(shape)
                                    + " for "
                                    + n
                                    + " rows, expected ["
                                    + n
                                    + ", "
                                    + classes
                                    + "] (one column per label of the card)");
                }
                FloatBuffer probabilities = tensor.getFloatBuffer();
                float[] row = new float[classes];
                for (int i = 0; i < n; i++) {
                    probabilities.get(row);
                    out.add(classified(row));
                }
            }
            case PROBABILITY_MAP -> {
                // the maps are not closed with the sequence: each must be closed
                List<? extends OnnxValue> maps = ((OnnxSequence) value).getValue();
                try {
                    if (maps.size() != n) {
                        throw new IllegalStateException(
                                output + " has " + maps.size() + " maps for " + n + " rows");
                    }
                    float[] row = new float[card.labels().size()];
                    for (OnnxValue map : maps) {
                        Arrays.fill(row, Float.NaN);
                        for (Map.Entry<?, ?> entry : ((OnnxMap) map).getValue().entrySet()) {
                            int position = card.labels().indexOf(String.valueOf(entry.getKey()));
                            if (position < 0) {
                                throw new IllegalStateException(
                                        output
                                                + " has label "
                                                + entry.getKey()
                                                + ", not in the card's labels "
                                                + card.labels());
                            }
                            row[position] = ((Number) entry.getValue()).floatValue();
                        }
                        for (int c = 0; c < row.length; c++) {
                            if (Float.isNaN(row[c])) {
                                throw new IllegalStateException(
                                        output
                                                + " has no probability for label "
                                                + card.labels().get(c)
                                                + " of the card's labels "
                                                + card.labels());
                            }
                        }
                        out.add(classified(row));
                    }
                } finally {
                    maps.forEach(OnnxValue::close);
                }
            }
            case VALUE -> {
                OnnxTensor tensor = (OnnxTensor) value;
                checkCount(output, tensor, n);
                if (tensor.getInfo().type == OnnxJavaType.DOUBLE) {
                    var values = tensor.getDoubleBuffer();
                    for (int i = 0; i < n; i++) {
                        out.add(new Prediction(values.get(), null));
                    }
                } else {
                    FloatBuffer values = tensor.getFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        out.add(new Prediction(values.get(), null));
                    }
                }
            }
            case LABEL -> {
                OnnxTensor tensor = (OnnxTensor) value;
                checkCount(output, tensor, n);
                long[] ids = new long[n];
                if (tensor.getInfo().type == OnnxJavaType.INT32) {
                    var values = tensor.getIntBuffer();
                    for (int i = 0; i < n; i++) {
                        ids[i] = values.get();
                    }
                } else {
                    LongBuffer values = tensor.getLongBuffer();
                    values.get(ids);
                }
                for (long id : ids) {
                    String label =
                            id >= 0 && id < card.labels().size()
                                    ? card.labels().get((int) id)
                                    : Long.toString(id);
                    out.add(new Prediction(id, label));
                }
            }
        }
        return out;
    }

    /** A value or label output must hold one value per row ([N] or [N, 1]). */
    private static void checkCount(String output, OnnxTensor tensor, int n) {
        long count = tensor.getInfo().getNumElements();
        if (count != n) {
            throw new IllegalStateException(
                    output
                            + " has "
                            + count
                            + " values for "
                            + n
                            + " rows (shape "
                            + Arrays.toString(tensor.getInfo().getShape())
                            + ")");
        }
    }

    /** Binary: P(positive), labelled by the threshold; multiclass: the most probable class. */
    private Prediction classified(float[] probabilities) {
        if (card.task() == Task.BINARY_CLASSIFICATION) {
            double positive = probabilities[positiveColumn];
            String label =
                    Double.isNaN(positive)
                            ? null
                            : card.labels().get(positive >= card.thresholdOrDefault() ? 1 : 0);
            return new Prediction(positive, label);
        }
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Prediction(probabilities[best], card.labels().get(best));
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * @return whether the batch dimension is fixed at 1
     */
    private static boolean checkSignature(ModelCard card, OrtSession session, String subject)
            throws ModelException {
        List<String> problems = new ArrayList<>();
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelException(subject, "cannot read the model's signature: " + e, e);
        }
        boolean fixedBatch = false;
        if (card.inputs().oneTensorPerFeature()) {
            Set<String> expected = new TreeSet<>(card.features());
            for (String feature : card.features()) {
                NodeInfo info = inputs.get(feature);
                if (info == null) {
                    problems.add(
                            "input '"
                                    + feature
                                    + "' not in the model (it has: "
                                    + names(inputs)
                                    + ")");
                } else {
                    fixedBatch |= checkFloatInput(info, 1, problems);
                }
            }
            for (String name : inputs.keySet()) {
                if (!expected.contains(name)) {
                    problems.add(
                            "the model also needs input '"
                                    + name
                                    + "', which the card does not list");
                }
            }
        } else {
            NodeInfo info = inputs.get(card.inputs().tensor());
            if (info == null) {
                problems.add(
                        "input '"
                                + card.inputs().tensor()
                                + "' not in the model (it has: "
                                + names(inputs)
                                + ")");
            } else {
                fixedBatch = checkFloatInput(info, card.features().size(), problems);
            }
            if (inputs.size() > 1) {
                problems.add(
                        "the model has "
                                + inputs.size()
                                + " inputs ("
                                + names(inputs)
                                + "); the card feeds one tensor");
            }
        }
        NodeInfo output = outputs.get(card.output().name());
        if (output == null) {
            problems.add(
                    "output '"
                            + card.output().name()
                            + "' not in the model (it has: "
                            + names(outputs)
                            + ")");
        } else {
            checkOutput(card, output.getInfo(), problems);
        }
        if (!problems.isEmpty()) {
            throw new ModelException(subject, problems);
        }
        return fixedBatch;
    }

    private static boolean checkFloatInput(NodeInfo node, int width, List<String> problems) {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            problems.add(
                    "input '" + node.getName() + "' is " + node.getInfo() + ", not a float tensor");
            return false;
        }
        long[] shape = tensor.getShape();
        if (shape.length != 2) {
            problems.add(
                    "input '"
                            + node.getName()
                            + "' has rank "
                            + shape.length
                            + ", expected [batch, "
                            + width
                            + "]");
            return false;
        }
        if (shape[1] >= 0 && shape[1] != width) {
            problems.add(
                    "input '"
                            + node.getName()
                            + "' has "
                            + shape[1]
                            + (width == 1
                                    ? " columns, expected 1"
                                    : " columns, the card lists " + width + " features"));
        }
        return shape[0] == 1;
    }

    private static void checkOutput(ModelCard card, ValueInfo info, List<String> problems) {
        String name = "output '" + card.output().name() + "'";
        OutputKind kind = card.output().kind();
        switch (kind) {
            case PROBABILITIES -> {
                if (!(info instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
                    problems.add(
                            name
                                    + " is "
                                    + info
                                    + ", not a float tensor of probabilities"
                                    + (info instanceof SequenceInfo q && q.sequenceOfMaps
                                            ? " (a sequence of maps, as ZipMap gives: declare"
                                                    + " kind: probability_map)"
                                            : ""));
                } else if (t.getShape().length != 2) {
                    problems.add(
                            name
                                    + " has rank "
                                    + t.getShape().length
                                    + ", expected [batch, classes]");
                } else if (t.getShape()[1] >= 0 && t.getShape()[1] != card.labels().size()) {
                    problems.add(
                            name
                                    + " has "
                                    + t.getShape()[1]
                                    + " classes, the card has "
                                    + card.labels().size()
                                    + " labels");
                }
            }
            case PROBABILITY_MAP -> {
                if (!(info instanceof SequenceInfo s) || !s.sequenceOfMaps) {
                    problems.add(
                            name
                                    + " is "
                                    + info
                                    + ", not a sequence of maps (ZipMap); use kind probabilities for a"
                                    + " tensor");
                } else {
                    MapInfo map = s.mapInfo;
                    if (map.valueType != OnnxJavaType.FLOAT) {
                        problems.add(name + " maps to " + map.valueType + ", not float");
                    }
                }
            }
            case VALUE -> {
                if (!(info instanceof TensorInfo t)
                        || (t.type != OnnxJavaType.FLOAT && t.type != OnnxJavaType.DOUBLE)) {
                    problems.add(name + " is " + info + ", not a float tensor");
                } else if (t.getShape().length > 2
                        || (t.getShape().length == 2 && t.getShape()[1] > 1)) {
                    problems.add(
                            name
                                    + " has shape "
                                    + Arrays.toString(t.getShape())
                                    + ", expected [batch] or [batch, 1]");
                }
            }
            case LABEL -> {
                if (!(info instanceof TensorInfo t)
                        || (t.type != OnnxJavaType.INT64 && t.type != OnnxJavaType.INT32)) {
                    problems.add(name + " is " + info + ", not an integer tensor");
                }
            }
        }
    }

    private void checkGolden(String subject) throws ModelException {
        List<float[]> rows = new ArrayList<>();
        for (Golden golden : card.golden()) {
            rows.add(vectorizer.row(golden.features()).values());
        }
        List<Prediction> predictions = score(rows);
        List<String> problems = new ArrayList<>();
        ModelCard.Tolerance tolerance = card.toleranceOrDefault();
        for (int i = 0; i < rows.size(); i++) {
            Golden golden = card.golden().get(i);
            Prediction p = predictions.get(i);
            if (!tolerance.allows(golden.score(), p.score())) {
                problems.add(
                        "golden example "
                                + (i + 1)
                                + " scores "
                                + p.score()
                                + ", the card expects "
                                + golden.score()
                                + " (tolerance "
                                + tolerance
                                + "; golden scores from ONNX Runtime with more than one thread"
                                + " may differ in the last bits: compute them with"
                                + " intra_op_num_threads=1, state golden_threads, or set a"
                                + " relative tolerance)");
            }
            if (golden.label() != null && !golden.label().equals(p.label())) {
                problems.add(
                        "golden example "
                                + (i + 1)
                                + " is labelled "
                                + p.label()
                                + ", the card expects "
                                + golden.label());
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelException(subject, problems);
        }
    }

    private static String names(Map<String, NodeInfo> nodes) {
        return String.join(", ", new TreeSet<>(nodes.keySet()));
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // already failing: the refusal is what matters
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }
}
