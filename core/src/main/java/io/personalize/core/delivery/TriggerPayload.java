package io.personalize.core.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.personalize.core.decisions.Decision;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.recommend.Recommendation;
import java.time.Instant;

/**
 * The JSON body POSTed for a decision to send, in the Standard Webhooks shape {@code {type,
 * timestamp, data}}. It names the customer by id only (the email service provider holds the
 * address) and carries what the template needs: template, content block ids ({@code
 * content_blocks}) and the blocks with their variables and products ({@code blocks}, see {@link
 * ContentBlocks}), recommendations and variables. The same decision always gives the same bytes.
 */
public final class TriggerPayload {
    public static final String TYPE = "email.trigger";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerPayload() {}

    /**
     * Every string of the body masked as stored text is ({@link PersonalDataScrubber#maskText}):
     * what reaches the body was scrubbed when read, this keeps it so whatever a catalog or a future
     * field brings.
     */
    private static void maskStrings(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fields()
                    .forEachRemaining(
                            field -> {
                                if (field.getValue().isTextual()) {
                                    field.setValue(masked(field.getValue()));
                                } else {
                                    maskStrings(field.getValue());
                                }
                            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, masked(array.get(i)));
                } else {
                    maskStrings(array.get(i));
                }
            }
        }
    }

    private static JsonNode masked(JsonNode text) {
        String value = text.asText();
        String masked = PersonalDataScrubber.maskText(value);
        return masked == value ? text : TextNode.valueOf(masked);
    }

    private static void product(ContentBlocks.Product product, ObjectNode p) {
        p.put("product_id", product.productId());
        p.put("name", product.name());
        p.put("category", product.category());
        if (product.price() != null) {
            p.put("price", product.price());
        }
        p.put("image_url", product.imageUrl());
    }

    public static String json(Decision d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", TYPE);
        root.put("timestamp", Instant.ofEpochMilli(d.decidedAt).toString());
        ObjectNode data = root.putObject("data");
        data.put("decision_id", d.decisionId);
        data.put("customer_id", d.customerId);
        data.put("flow_id", d.flowId);
        data.put("flows_version", d.flowsVersion);
        data.put("template_id", d.templateId);
        data.put("experiment_id", d.experimentId);
        data.put("variant", d.variant);
        ArrayNode blocks = data.putArray("content_blocks");
        d.contentBlocks.forEach(blocks::add);
        ArrayNode blockNodes = data.putArray("blocks");
        for (ContentBlocks.Block block : ContentBlocks.of(d)) {
            ObjectNode b = blockNodes.addObject();
            b.put("id", block.id());
            ObjectNode vars = b.putObject("variables");
            block.variables().forEach(vars::put);
            ArrayNode blockProducts = b.putArray("products");
            block.products().forEach(p -> product(p, blockProducts.addObject()));
        }
        ArrayNode products = data.putArray("recommendations");
        for (Recommendation r : d.recommendations) {
            product(ContentBlocks.Product.of(r), products.addObject());
        }
        ObjectNode variables = data.putObject("variables");
        d.variables.forEach(variables::put);
        data.put("triggered_at", Instant.ofEpochMilli(d.triggeredAt).toString());
        data.put("decided_at", Instant.ofEpochMilli(d.decidedAt).toString());
        maskStrings(root);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a trigger body", e);
        }
    }
}
