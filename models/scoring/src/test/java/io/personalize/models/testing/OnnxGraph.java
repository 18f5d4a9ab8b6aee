package io.personalize.models.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds ONNX graphs in Java (no Python) from ONNX's own protobuf messages, for tests and for
 * training exports: standard operators and the {@code ai.onnx.ml} ones (TreeEnsemble,
 * LinearClassifier, Scaler, ZipMap) alike.
 *
 * <p>What ONNX Runtime needs and is easy to miss: IR version 8; opset imports for both {@code ""}
 * (17) and {@code ai.onnx.ml} (3; without it ORT assumes a version where TreeEnsembleClassifier is
 * deprecated); {@code domain = "ai.onnx.ml"} on every ml node.
 *
 * <pre>{@code
 * OnnxGraph g = new OnnxGraph("logistic");
 * g.floatInput("features", -1, 3);
 * g.initializer("w", new float[] {0.5f, -1f, 2f}, 3, 1);
 * g.node("MatMul", List.of("features", "w"), List.of("z"));
 * g.node("Sigmoid", List.of("z"), List.of("p"));
 * g.floatOutput("p", -1, 1);
 * byte[] onnx = g.toBytes();
 * }</pre>
 */
public final class OnnxGraph {
    public static final String ML = "ai.onnx.ml";
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    public static final int INT64 = TensorProto.DataType.INT64_VALUE;
    public static final int STRING = TensorProto.DataType.STRING_VALUE;
    public static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    public static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int nodes;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A float input {@code [rows, columns]}; a negative size is symbolic. */
    public OnnxGraph floatInput(String name, long rows, long columns) {
        graph.addInput(tensorValue(name, FLOAT, rows, columns));
        return this;
    }

    /** An input of an element type and shape (a negative size is symbolic). */
    public OnnxGraph input(String name, int elementType, long... shape) {
        graph.addInput(tensorValue(name, elementType, shape));
        return this;
    }

    /** A tensor output of an element type and shape (a negative size is symbolic). */
    public OnnxGraph output(String name, int elementType, long... shape) {
        graph.addOutput(tensorValue(name, elementType, shape));
        return this;
    }

    public OnnxGraph floatOutput(String name, long... shape) {
        return output(name, FLOAT, shape);
    }

    /** A {@code seq(map(key, float))} output, as ZipMap produces. */
    public OnnxGraph mapSequenceOutput(String name, int keyType) {
        TypeProto value = TypeProto.newBuilder().setTensorType(tensorType(FLOAT)).build();
        TypeProto map =
                TypeProto.newBuilder()
                        .setMapType(
                                TypeProto.Map.newBuilder().setKeyType(keyType).setValueType(value))
                        .build();
        TypeProto sequence =
                TypeProto.newBuilder()
                        .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(map))
                        .build();
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(sequence));
        return this;
    }

    public OnnxGraph initializer(String name, float[] values, long... shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (long d : shape) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        graph.addInitializer(t);
        return this;
    }

    public OnnxGraph initializer(String name, long[] values, long... shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64);
        for (long d : shape) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /** A standard-domain node. */
    public OnnxGraph node(
            String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        return node("", op, inputs, outputs, attributes);
    }

    /** An {@code ai.onnx.ml} node. */
    public OnnxGraph mlNode(
            String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        return node(ML, op, inputs, outputs, attributes);
    }

    private OnnxGraph node(
            String domain,
            String op,
            List<String> inputs,
            List<String> outputs,
            AttributeProto... attributes) {
        NodeProto.Builder n =
                NodeProto.newBuilder()
                        .setOpType(op)
                        .setName(op + "_" + nodes++)
                        .addAllInput(inputs)
                        .addAllOutput(outputs);
        if (!domain.isEmpty()) {
            n.setDomain(domain);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public ModelProto toModel() {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("personalize")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML).setVersion(3))
                .setGraph(graph)
                .build();
    }

    public byte[] toBytes() {
        return toModel().toByteArray();
    }

    public Path write(Path path) {
        try {
            Files.write(path, toBytes());
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- attributes ----

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    public static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return a.build();
    }

    public static AttributeProto strings(String name, String... values) {
        AttributeProto.Builder a =
                AttributeProto.newBuilder()
                        .setName(name)
                        .setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(com.google.protobuf.ByteString.copyFromUtf8(v));
        }
        return a.build();
    }

    public static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    public static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    public static AttributeProto stringAttr(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value))
                .build();
    }

    private static ValueInfoProto tensorValue(String name, int elementType, long... shape) {
        TypeProto.Tensor.Builder tensor = tensorType(elementType).toBuilder();
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(
                    d < 0
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                            : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        tensor.setShape(s);
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    private static TypeProto.Tensor tensorType(int elementType) {
        return TypeProto.Tensor.newBuilder().setElemType(elementType).build();
    }
}
