package io.personalize.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import io.personalize.models.ModelCard.ElementType;
import io.personalize.models.ModelCard.Input;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a card's named inputs against the inputs the model declares: each is in the model, a
 * tensor of the card's element type, of rank 2 with as many columns as the card lists (or rank 1
 * with one column), and the model needs no input the card does not feed. Each problem names the
 * input.
 */
final class NamedInputSignature {
    private NamedInputSignature() {}

    /**
     * @param ranks filled with each input's rank
     * @return whether some input's batch dimension is fixed at 1 (scored one row per run)
     */
    static boolean check(
            List<Input> card,
            Map<String, NodeInfo> model,
            Map<String, Integer> ranks,
            List<String> problems) {
        boolean fixedBatch = false;
        Set<String> fed = new HashSet<>();
        for (Input input : card) {
            fed.add(input.name());
            NodeInfo node = model.get(input.name());
            String subject = "input '" + input.name() + "'";
            if (node == null) {
                problems.add(
                        subject + " not in the model (it has: " + OnnxModel.names(model) + ")");
                continue;
            }
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                problems.add(subject + " is " + node.getInfo() + ", not a tensor");
                continue;
            }
            if (tensor.type != javaType(input.type())) {
                problems.add(
                        subject
                                + " is a "
                                + name(tensor.type)
                                + " tensor in the model, the card feeds "
                                + input.type().yamlName());
            }
            long[] shape = tensor.getShape();
            int columns = input.columns().size();
            if (shape.length == 1) {
                if (columns != 1) {
                    problems.add(
                            subject
                                    + " has shape "
                                    + Arrays.toString(shape)
                                    + ", one value per row; the card lists "
                                    + columns
                                    + " columns");
                }
            } else if (shape.length == 2) {
                if (shape[1] >= 0 && shape[1] != columns) {
                    problems.add(
                            subject
                                    + " has width "
                                    + shape[1]
                                    + " in the model, the card lists "
                                    + columns
                                    + " columns");
                }
            } else {
                problems.add(
                        subject
                                + " has shape "
                                + Arrays.toString(shape)
                                + ", expected [batch, columns] or [batch]");
                continue;
            }
            ranks.put(input.name(), shape.length);
            fixedBatch |= shape[0] == 1;
        }
        for (String name : model.keySet()) {
            if (!fed.contains(name)) {
                problems.add(
                        "the model also needs input '" + name + "', which the card does not list");
            }
        }
        return fixedBatch;
    }

    private static OnnxJavaType javaType(ElementType type) {
        return switch (type) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            case STRING -> OnnxJavaType.STRING;
        };
    }

    private static String name(OnnxJavaType type) {
        return switch (type) {
            case INT64 -> "int64";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
