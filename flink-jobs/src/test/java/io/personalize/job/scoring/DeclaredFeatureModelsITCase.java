package io.personalize.job.scoring;

import static io.personalize.models.testing.OnnxGraph.BOOL;
import static io.personalize.models.testing.OnnxGraph.DOUBLE;
import static io.personalize.models.testing.OnnxGraph.FLOAT;
import static io.personalize.models.testing.OnnxGraph.INT64;
import static io.personalize.models.testing.OnnxGraph.STRING;
import static io.personalize.models.testing.OnnxGraph.floatAttr;
import static io.personalize.models.testing.OnnxGraph.floats;
import static io.personalize.models.testing.OnnxGraph.intAttr;
import static io.personalize.models.testing.OnnxGraph.strings;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.personalize.core.adapters.InputFormat;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.demo.DemoRunner;
import io.personalize.models.testing.OnnxGraph;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data scientist's own features and models through the whole job: declared profile attributes (a
 * string, a number, a boolean) from CRM profile events and a windowed count of custom events feed
 * six models built here in the shapes external exporters produce (a string category through the
 * model's label encoder, int64 and bool inputs, two named inputs, 1,000 columns, a fixed batch of
 * 1, a classifier with labels 1..5). Each customer's latest score in the {@code scores} table
 * equals, bit for bit, what ONNX Runtime called directly gives for the values the customer's events
 * set (and every class's probability is kept).
 */
class DeclaredFeatureModelsITCase {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** What each customer's events set; null: never set (the card's or feature's default). */
    private record Customer(
            String id, String contract, Double tenure, Boolean paperless, int calls) {
        String contractOrDefault() {
            return contract == null ? "month_to_month" : contract;
        }

        float tenureOrDefault() {
            return tenure == null ? 0f : tenure.floatValue();
        }

        boolean paperlessOrDefault() {
            return paperless != null && paperless;
        }
    }

    private static final List<Customer> CUSTOMERS =
            List.of(
                    new Customer("c1", "two_year", 30.0, true, 3),
                    new Customer("c2", "one_year", 5.5, false, 0),
                    new Customer("c3", "month_to_month", 12.0, null, 1),
                    new Customer("c4", null, null, null, 2));

    private static final String DECLARED =
            """
            version: 1
            features:
              - name: contract_type
                kind: profile
                type: string
                path: attributes.contract_type
                default: month_to_month
              - name: tenure_months
                kind: profile
                type: number
                path: attributes.tenure_months
              - name: paperless
                kind: profile
                type: boolean
                path: attributes.paperless
              - name: support_calls_90d
                kind: window
                aggregate: count
                where: event.event_type == 'custom' && event.custom.type == 'support_call'
                window: 90d
            """;

    private static final int WIDE = 1000;

    @TempDir static Path tmp;
    private static final Map<String, Record> latest = new HashMap<>();
    private static final Map<String, byte[]> models = new HashMap<>();

    @BeforeAll
    static void runTheJob() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        StringBuilder registry = new StringBuilder("models:\n");
        List<Customer> golden = List.of(GOLDEN);
        byte[] contract = contractModel();
        model(
                dir,
                registry,
                "contract_value",
                contract,
                withGolden(
                        CONTRACT_CARD,
                        contract,
                        "variable",
                        contractInputs(golden),
                        List.of("contract_type")));
        byte[] callsPaperless = callsPaperlessModel();
        model(
                dir,
                registry,
                "calls_paperless",
                callsPaperless,
                withGolden(
                        CALLS_PAPERLESS_CARD,
                        callsPaperless,
                        "variable",
                        callsPaperlessInputs(golden),
                        List.of("support_calls_90d", "paperless")));
        byte[] two = twoInputsModel();
        model(
                dir,
                registry,
                "two_inputs",
                two,
                withGolden(
                        TWO_INPUTS_CARD,
                        two,
                        "variable",
                        twoInputs(golden),
                        List.of("support_calls_90d", "lifetime_orders", "tenure_months")));
        byte[] wide = wideModel();
        model(
                dir,
                registry,
                "wide",
                wide,
                withGolden(
                        wideCard(),
                        wide,
                        "variable",
                        wideInputs(golden),
                        List.of("tenure_months", "support_calls_90d", "paperless")));
        byte[] fixed = fixedBatchModel();
        model(
                dir,
                registry,
                "fixed_batch",
                fixed,
                withGolden(
                        FIXED_BATCH_CARD,
                        fixed,
                        "variable",
                        xInputs(golden),
                        List.of("tenure_months", "support_calls_90d")));
        byte[] five = fiveClassesModel();
        model(
                dir,
                registry,
                "five_classes",
                five,
                withGolden(
                        FIVE_CLASSES_CARD,
                        five,
                        "probabilities",
                        xInputs(golden),
                        List.of("tenure_months", "support_calls_90d")));
        Files.writeString(dir.resolve("registry.yaml"), registry);
        Path declared = tmp.resolve("features.yaml");
        Files.writeString(declared, DECLARED);

        List<String> lines = new ArrayList<>();
        for (Customer c : CUSTOMERS) {
            StringBuilder attributes = new StringBuilder();
            if (c.contract() != null) {
                attributes.append("\"contract_type\":\"").append(c.contract()).append('"');
            }
            if (c.tenure() != null) {
                attributes.append(attributes.isEmpty() ? "" : ",");
                attributes.append("\"tenure_months\":").append(c.tenure());
            }
            if (c.paperless() != null) {
                attributes.append(attributes.isEmpty() ? "" : ",");
                attributes.append("\"paperless\":").append(c.paperless());
            }
            if (!attributes.isEmpty()) {
                lines.add(
                        envelope(
                                c.id() + "-profile",
                                "profile_updated",
                                "2025-03-01T10:00:00Z",
                                c.id(),
                                ",\"profile\":{\"attributes\":{" + attributes + "}}"));
            }
            for (int i = 0; i < c.calls(); i++) {
                lines.add(
                        envelope(
                                c.id() + "-call-" + i,
                                "custom",
                                "2025-03-01T1" + (1 + i) + ":00:00Z",
                                c.id(),
                                ",\"custom\":{\"type\":\"support_call\"}"));
            }
        }
        Path input = tmp.resolve("events.jsonl");
        Files.write(input, lines, StandardCharsets.UTF_8);
        new DemoRunner(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(
                        new DemoRunner.Options(
                                tmp.resolve("out"), 0, 1, input, InputFormat.ENVELOPE, false),
                        ConfigLoader.load(
                                null,
                                Map.of(),
                                List.of(
                                        "personalize.restart.attempts=0",
                                        "personalize.features.declared=" + declared,
                                        "personalize.models.registry="
                                                + dir.resolve("registry.yaml"))));
        CatalogSettings catalog =
                CatalogSettings.localSqlite(tmp.resolve("out/warehouse"), "personalize");
        for (Record row :
                TableReader.readAll(
                        catalog.catalogLoader()
                                .loadCatalog()
                                .loadTable(Tables.SCORES.identifier(catalog.icebergNamespace())))) {
            String key = row.getField("customer_key") + " " + row.getField("model");
            Record before = latest.get(key);
            if (before == null
                    || ((OffsetDateTime) row.getField("as_of"))
                            .isAfter((OffsetDateTime) before.getField("as_of"))) {
                latest.put(key, row);
            }
        }
    }

    @Test
    void aStringCategoryThroughTheModelsLabelEncoder() throws Exception {
        assertScores(
                "contract_value", direct("contract_value", "variable", contractInputs(CUSTOMERS)));
    }

    @Test
    void int64AndBoolInputs() throws Exception {
        assertScores(
                "calls_paperless",
                direct("calls_paperless", "variable", callsPaperlessInputs(CUSTOMERS)));
    }

    @Test
    void twoNamedInputs() throws Exception {
        assertScores("two_inputs", direct("two_inputs", "variable", twoInputs(CUSTOMERS)));
    }

    @Test
    void aThousandColumns() throws Exception {
        assertScores("wide", direct("wide", "variable", wideInputs(CUSTOMERS)));
    }

    @Test
    void aFixedBatchOfOne() throws Exception {
        float[] direct = new float[CUSTOMERS.size()];
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            direct[i] = direct("fixed_batch", "variable", xInputs(List.of(CUSTOMERS.get(i))))[0];
        }
        assertScores("fixed_batch", direct);
    }

    @Test
    void aClassifierWithLabelsOneToFiveKeepsEveryClass() throws Exception {
        float[] direct = direct("five_classes", "probabilities", xInputs(CUSTOMERS));
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            Record row = row("five_classes", CUSTOMERS.get(i));
            @SuppressWarnings("unchecked")
            Map<String, Double> probabilities = (Map<String, Double>) row.getField("probabilities");
            Map<String, Double> expected = new HashMap<>();
            for (int k = 0; k < 5; k++) {
                expected.put(String.valueOf(k + 1), (double) direct[i * 5 + k]);
            }
            assertThat(probabilities).as(CUSTOMERS.get(i).id()).isEqualTo(expected);
        }
    }

    private static void assertScores(String model, float[] direct) {
        for (int i = 0; i < CUSTOMERS.size(); i++) {
            Record row = row(model, CUSTOMERS.get(i));
            assertThat(row.getField("fallback_reason")).as("%s: fallback", model).isNull();
            assertThat((Double) row.getField("score"))
                    .as("%s of %s", model, CUSTOMERS.get(i).id())
                    .isEqualTo((double) direct[i]);
        }
    }

    private static Record row(String model, Customer customer) {
        Record row = latest.get("c:" + customer.id() + " " + model);
        assertThat(row)
                .as("a %s score of %s; scores: %s", model, customer.id(), latest.keySet())
                .isNotNull();
        return row;
    }

    // ---- each model's input tensors for a list of customers ----

    private static Map<String, OnnxTensor> contractInputs(List<Customer> cs) throws OrtException {
        String[] contracts = cs.stream().map(Customer::contractOrDefault).toArray(String[]::new);
        return Map.of("contract", tensor(contracts, contracts.length, 1));
    }

    private static Map<String, OnnxTensor> callsPaperlessInputs(List<Customer> cs)
            throws OrtException {
        long[][] calls = new long[cs.size()][];
        boolean[][] paperless = new boolean[cs.size()][];
        for (int i = 0; i < cs.size(); i++) {
            calls[i] = new long[] {cs.get(i).calls()};
            paperless[i] = new boolean[] {cs.get(i).paperlessOrDefault()};
        }
        return Map.of(
                "calls",
                OnnxTensor.createTensor(ENV, calls),
                "paperless",
                OnnxTensor.createTensor(ENV, paperless));
    }

    private static Map<String, OnnxTensor> twoInputs(List<Customer> cs) throws OrtException {
        float[][] counts = new float[cs.size()][];
        double[][] tenure = new double[cs.size()][];
        for (int i = 0; i < cs.size(); i++) {
            Customer c = cs.get(i);
            counts[i] = new float[] {c.calls(), 0f}; // support calls, lifetime orders
            tenure[i] = new double[] {c.tenure() == null ? 0 : c.tenure()};
        }
        return Map.of(
                "counts",
                OnnxTensor.createTensor(ENV, counts),
                "tenure",
                OnnxTensor.createTensor(ENV, tenure));
    }

    private static Map<String, OnnxTensor> wideInputs(List<Customer> cs) throws OrtException {
        float[][] rows = new float[cs.size()][WIDE];
        for (int i = 0; i < cs.size(); i++) {
            Customer c = cs.get(i);
            for (int j = 0; j < WIDE; j++) {
                rows[i][j] =
                        switch (j % 3) {
                            case 0 -> c.tenureOrDefault();
                            case 1 -> c.calls();
                            default -> c.paperlessOrDefault() ? 1f : 0f;
                        };
            }
        }
        return Map.of("features", OnnxTensor.createTensor(ENV, rows));
    }

    private static Map<String, OnnxTensor> xInputs(List<Customer> cs) throws OrtException {
        float[][] rows = new float[cs.size()][];
        for (int i = 0; i < cs.size(); i++) {
            rows[i] = new float[] {cs.get(i).tenureOrDefault(), cs.get(i).calls()};
        }
        return Map.of("x", OnnxTensor.createTensor(ENV, rows));
    }

    /** The customer of every card's golden example, and its values as a card lists them. */
    private static final Customer GOLDEN = new Customer("golden", "one_year", 10.0, true, 2);

    private static final Map<String, String> GOLDEN_VALUES =
            Map.of(
                    "contract_type", "one_year",
                    "tenure_months", "10",
                    "paperless", "true",
                    "support_calls_90d", "2",
                    "lifetime_orders", "0");

    /** The card with a golden example scored by ONNX Runtime directly. */
    private static String withGolden(
            String card,
            byte[] onnx,
            String output,
            Map<String, OnnxTensor> inputs,
            List<String> features)
            throws OrtException {
        float[] values = direct(onnx, output, inputs);
        int top = 0;
        for (int k = 1; k < values.length; k++) {
            top = values[k] > values[top] ? k : top;
        }
        StringBuilder golden = new StringBuilder("golden:\n  - features: {");
        for (int i = 0; i < features.size(); i++) {
            golden.append(i == 0 ? "" : ", ")
                    .append(features.get(i))
                    .append(": ")
                    .append(GOLDEN_VALUES.get(features.get(i)));
        }
        golden.append("}\n    score: ").append((double) values[top]).append('\n');
        if (values.length > 1) {
            golden.append("    label: \"").append(top + 1).append("\"\n");
        }
        return card + golden + "tolerance: 0\n";
    }

    // ---- the models, as exporters write them ----

    private static final String CONTRACT_CARD =
            """
            name: contract_value
            version: "1"
            task: regression
            inputs:
              - {name: contract, type: string, columns: [contract_type]}
            output: {name: variable, kind: value}
            """;

    /** {@code LabelEncoder(contract) * 0.5 + 1}: month_to_month 1, one_year 1.5, two_year 2. */
    private static byte[] contractModel() {
        OnnxGraph g = new OnnxGraph("contract_value");
        g.input("contract", STRING, -1, 1);
        g.initializer("half", new float[] {0.5f}, 1);
        g.initializer("one", new float[] {1f}, 1);
        g.mlNode(
                "LabelEncoder",
                List.of("contract"),
                List.of("code"),
                strings("keys_strings", "month_to_month", "one_year", "two_year"),
                floats("values_floats", 0f, 1f, 2f),
                floatAttr("default_float", -1f));
        g.node("Mul", List.of("code", "half"), List.of("scaled"));
        g.node("Add", List.of("scaled", "one"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    private static final String CALLS_PAPERLESS_CARD =
            """
            name: calls_paperless
            version: "1"
            task: regression
            inputs:
              - {name: calls, type: int64, columns: [support_calls_90d]}
              - {name: paperless, type: bool, columns: [paperless]}
            output: {name: variable, kind: value}
            defaults: {paperless: false}
            """;

    private static byte[] callsPaperlessModel() {
        OnnxGraph g = new OnnxGraph("calls_paperless");
        g.input("calls", INT64, -1, 1);
        g.input("paperless", BOOL, -1, 1);
        g.initializer("w", new float[] {0.75f, -1.25f}, 2, 1);
        g.initializer("b", new float[] {0.1f}, 1);
        g.node("Cast", List.of("calls"), List.of("cf"), intAttr("to", FLOAT));
        g.node("Cast", List.of("paperless"), List.of("pf"), intAttr("to", FLOAT));
        g.node("Concat", List.of("cf", "pf"), List.of("x"), intAttr("axis", 1));
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    private static final String TWO_INPUTS_CARD =
            """
            name: two_inputs
            version: "1"
            task: regression
            inputs:
              - {name: counts, type: float, columns: [support_calls_90d, lifetime_orders]}
              - {name: tenure, type: double, columns: [tenure_months]}
            output: {name: variable, kind: value}
            defaults: {tenure_months: 0}
            """;

    private static byte[] twoInputsModel() {
        OnnxGraph g = new OnnxGraph("two_inputs");
        g.input("counts", FLOAT, -1, 2);
        g.input("tenure", DOUBLE, -1, 1);
        g.initializer("w", new float[] {0.3f, 0.7f, 0.05f}, 3, 1);
        g.node("Cast", List.of("tenure"), List.of("tf"), intAttr("to", FLOAT));
        g.node("Concat", List.of("counts", "tf"), List.of("x"), intAttr("axis", 1));
        g.node("MatMul", List.of("x", "w"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    private static String wideCard() {
        StringBuilder columns = new StringBuilder();
        for (int j = 0; j < WIDE; j++) {
            columns.append(j == 0 ? "" : ", ")
                    .append(
                            switch (j % 3) {
                                case 0 -> "tenure_months";
                                case 1 -> "support_calls_90d";
                                default -> "paperless";
                            });
        }
        return "name: wide\nversion: \"1\"\ntask: regression\ninputs:\n"
                + "  - {name: features, type: float, columns: ["
                + columns
                + "]}\noutput: {name: variable, kind: value}\n"
                + "defaults: {tenure_months: 0, paperless: false}\n";
    }

    private static byte[] wideModel() {
        OnnxGraph g = new OnnxGraph("wide");
        g.input("features", FLOAT, -1, WIDE);
        float[] w = new float[WIDE];
        for (int j = 0; j < WIDE; j++) {
            w[j] = ((j * 37) % 101 - 50) / 1000f;
        }
        g.initializer("w", w, WIDE, 1);
        g.node("MatMul", List.of("features", "w"), List.of("variable"));
        g.floatOutput("variable", -1, 1);
        return g.toBytes();
    }

    private static final String FIXED_BATCH_CARD =
            """
            name: fixed_batch
            version: "1"
            task: regression
            inputs:
              - {name: x, type: float, columns: [tenure_months, support_calls_90d]}
            output: {name: variable, kind: value}
            defaults: {tenure_months: 0}
            """;

    private static byte[] fixedBatchModel() {
        OnnxGraph g = new OnnxGraph("fixed_batch");
        g.input("x", FLOAT, 1, 2);
        g.initializer("w", new float[] {0.02f, -0.4f}, 2, 1);
        g.initializer("b", new float[] {0.5f}, 1);
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("variable"));
        g.floatOutput("variable", 1, 1);
        return g.toBytes();
    }

    private static final String FIVE_CLASSES_CARD =
            """
            name: five_classes
            version: "1"
            task: multiclass_classification
            inputs:
              - {name: x, type: float, columns: [tenure_months, support_calls_90d]}
            output: {name: probabilities, kind: probabilities}
            labels: ["1", "2", "3", "4", "5"]
            defaults: {tenure_months: 0}
            """;

    private static byte[] fiveClassesModel() {
        OnnxGraph g = new OnnxGraph("five_classes");
        g.input("x", FLOAT, -1, 2);
        g.initializer(
                "w",
                new float[] {0.1f, -0.05f, 0.02f, 0.08f, -0.1f, 0.3f, -0.2f, 0.1f, 0.4f, -0.3f},
                2,
                5);
        g.initializer("b", new float[] {0.2f, 0.1f, 0f, -0.1f, -0.2f}, 5);
        g.node("MatMul", List.of("x", "w"), List.of("xw"));
        g.node("Add", List.of("xw", "b"), List.of("logits"));
        g.node("Softmax", List.of("logits"), List.of("probabilities"), intAttr("axis", 1));
        g.floatOutput("probabilities", -1, 5);
        return g.toBytes();
    }

    // ---- ONNX Runtime called directly ----

    private static void model(
            Path dir, StringBuilder registry, String name, byte[] onnx, String card)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.write(folder.resolve("model.onnx"), onnx);
        Files.writeString(folder.resolve("model.yaml"), card);
        registry.append("  ")
                .append(name)
                .append(":\n    champion: {path: ")
                .append(name)
                .append("/model.onnx, version: \"1\"}\n");
        models.put(name, onnx);
    }

    private static OnnxTensor tensor(String[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, values, shape);
    }

    /**
     * The output of a session with the job's options (one thread, sequential, all optimizations).
     */
    private static float[] direct(String model, String output, Map<String, OnnxTensor> inputs)
            throws OrtException {
        return direct(models.get(model), output, inputs);
    }

    private static float[] direct(byte[] onnx, String output, Map<String, OnnxTensor> inputs)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = ENV.createSession(onnx, options);
                    OrtSession.Result result = session.run(inputs, Set.of(output))) {
                FloatBuffer values =
                        ((OnnxTensor) result.get(output).orElseThrow()).getFloatBuffer();
                float[] out = new float[values.remaining()];
                values.get(out);
                return out;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static String envelope(
            String id, String type, String at, String customer, String more) {
        return "{\"event_id\":\""
                + id
                + "\",\"event_type\":\""
                + type
                + "\",\"occurred_at\":\""
                + at
                + "\",\"customer_id\":\""
                + customer
                + "\""
                + more
                + "}";
    }
}
