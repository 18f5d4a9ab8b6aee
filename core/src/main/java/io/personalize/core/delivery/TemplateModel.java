package io.personalize.core.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.core.recommend.Recommendation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@link EndpointTemplate} renders a decision with: maps and lists of text, every text of
 * the decision masked as the generic body's are ({@link PersonalDataScrubber#maskText}); the
 * endpoint's params (a sender address) are configuration and stay as written. Names (snake case):
 *
 * <ul>
 *   <li>{@code decision_id}, {@code customer_id}, {@code flow_id}, {@code flows_version}, {@code
 *       template_id} (mapped by the endpoint's {@code template-ids}, else the flow's), {@code
 *       flow_template_id}, {@code experiment_id}, {@code variant}, {@code trigger_name}, {@code
 *       triggered_at}, {@code decided_at} (ISO-8601 UTC);
 *   <li>{@code placeholder_address}: {@code <customer_id>@<params.address_domain>} (default domain
 *       {@code resolve.invalid}, reserved and never delivered), for APIs that take the address
 *       itself: a relay that knows the address replaces it;
 *   <li>{@code variables}: the decision's variables as a list of {@code name}, {@code value};
 *       {@code var}: the same as a map ({@code var.browsed_product_name});
 *   <li>{@code content_blocks}: {@code id}, {@code variables} (list), {@code products} (see {@link
 *       ContentBlocks});
 *   <li>{@code recommendations}: {@code product_id}, {@code name}, {@code category}, {@code price},
 *       {@code image_url};
 *   <li>{@code params}: the endpoint's {@code params}.
 * </ul>
 *
 * Every list item has {@code last} (true for the last), so JSON lists need no trailing comma. A
 * product's {@code price} is a JSON number or {@code null}, to be written unquoted; a missing text
 * is empty.
 */
final class TemplateModel {
    static final String DEFAULT_ADDRESS_DOMAIN = "resolve.invalid";

    private TemplateModel() {}

    static Map<String, Object> of(
            Decision d, Map<String, String> params, Map<String, String> templateIds) {
        Map<String, Object> model = new HashMap<>();
        model.put("decision_id", text(d.decisionId));
        model.put("customer_id", text(d.customerId));
        model.put("flow_id", text(d.flowId));
        model.put("flows_version", Long.toString(d.flowsVersion));
        model.put("flow_template_id", text(d.templateId));
        String mapped = d.templateId == null ? null : templateIds.get(d.templateId);
        model.put("template_id", text(mapped != null ? mapped : d.templateId));
        model.put("experiment_id", text(d.experimentId));
        model.put("variant", text(d.variant));
        model.put("trigger_name", text(d.triggerName));
        model.put("triggered_at", Instant.ofEpochMilli(d.triggeredAt).toString());
        model.put("decided_at", Instant.ofEpochMilli(d.decidedAt).toString());
        model.put(
                "placeholder_address",
                text(d.customerId)
                        + "@"
                        + params.getOrDefault("address_domain", DEFAULT_ADDRESS_DOMAIN));
        model.put("variables", pairs(d.variables));
        Map<String, String> var = new LinkedHashMap<>();
        d.variables.forEach((name, value) -> var.put(name, text(value)));
        model.put("var", var);
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (ContentBlocks.Block block : ContentBlocks.of(d)) {
            Map<String, Object> b = new HashMap<>();
            b.put("id", text(block.id()));
            b.put("variables", pairs(block.variables()));
            b.put("products", products(block.products()));
            blocks.add(b);
        }
        model.put("content_blocks", lastMarked(blocks));
        List<ContentBlocks.Product> recommended = new ArrayList<>();
        for (Recommendation r : d.recommendations) {
            recommended.add(ContentBlocks.Product.of(r));
        }
        model.put("recommendations", products(recommended));
        // the operator's configuration (a sender address), not a customer's data: not masked
        model.put("params", new HashMap<>(params));
        return model;
    }

    private static List<Map<String, Object>> pairs(Map<String, String> values) {
        List<Map<String, Object>> list = new ArrayList<>();
        values.forEach(
                (name, value) -> {
                    Map<String, Object> pair = new HashMap<>();
                    pair.put("name", text(name));
                    pair.put("value", text(value));
                    list.add(pair);
                });
        return lastMarked(list);
    }

    private static List<Map<String, Object>> products(List<ContentBlocks.Product> products) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ContentBlocks.Product product : products) {
            Map<String, Object> p = new HashMap<>();
            p.put("product_id", text(product.productId()));
            p.put("name", text(product.name()));
            p.put("category", text(product.category()));
            Double price = product.price();
            p.put("price", price == null || !Double.isFinite(price) ? "null" : price.toString());
            p.put("image_url", text(product.imageUrl()));
            list.add(p);
        }
        return lastMarked(list);
    }

    private static List<Map<String, Object>> lastMarked(List<Map<String, Object>> list) {
        for (int i = 0; i < list.size(); i++) {
            list.get(i).put("last", i == list.size() - 1);
        }
        return list;
    }

    /** Masked as stored text is; null stays null (mustache renders it empty). */
    private static String text(String value) {
        return value == null ? null : PersonalDataScrubber.maskText(value);
    }
}
