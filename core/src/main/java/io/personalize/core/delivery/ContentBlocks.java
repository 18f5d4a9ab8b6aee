package io.personalize.core.delivery;

import io.personalize.core.decisions.Decision;
import io.personalize.core.recommend.Recommendation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content blocks a decision chose, each with what a template needs to render it: its variables
 * and its products. Built from the decision alone ({@code content_blocks}, {@code variables},
 * {@code recommendations}), so a body can be made again from the {@code decisions} table.
 *
 * <ul>
 *   <li>{@code browsed_products}: the {@code browsed_product_*} variables, and the browsed product;
 *   <li>{@code recommendations}: the recommended products;
 *   <li>{@code cart_items}: {@code cart_items} and {@code cart_value};
 *   <li>{@code top_category_picks}: {@code top_category};
 *   <li>every block: the variables its content rule set ({@code block.name} in the decision's
 *       variables, here {@code name}), e.g. a {@code discount_code}.
 * </ul>
 *
 * <pre>{@code
 * for (ContentBlocks.Block block : ContentBlocks.of(decision)) { ... block.variables() ... }
 * }</pre>
 */
public final class ContentBlocks {
    public static final String BROWSED_PRODUCTS = "browsed_products";
    public static final String RECOMMENDATIONS = "recommendations";
    public static final String CART_ITEMS = "cart_items";
    public static final String TOP_CATEGORY_PICKS = "top_category_picks";

    private static final String BROWSED = "browsed_product_";

    private ContentBlocks() {}

    /** A product as a block shows it; any field but the id may be null (unknown). */
    public record Product(
            String productId, String name, String category, Double price, String imageUrl) {
        static Product of(Recommendation r) {
            return new Product(r.productId, r.name, r.category, r.price, r.imageUrl);
        }
    }

    /** One chosen block: its id, its variables (in a stable order) and its products. */
    public record Block(String id, Map<String, String> variables, List<Product> products) {}

    /** The decision's blocks, in the order chosen. */
    public static List<Block> of(Decision d) {
        List<Block> blocks = new ArrayList<>();
        for (String id : d.contentBlocks) {
            Map<String, String> variables = new LinkedHashMap<>();
            List<Product> products = new ArrayList<>();
            switch (id) {
                case BROWSED_PRODUCTS -> {
                    copyPrefixed(d.variables, BROWSED, variables, false);
                    Product browsed = browsed(d.variables);
                    if (browsed != null) {
                        products.add(browsed);
                    }
                }
                case RECOMMENDATIONS -> d.recommendations.forEach(r -> products.add(Product.of(r)));
                case CART_ITEMS -> copy(d.variables, variables, "cart_items", "cart_value");
                case TOP_CATEGORY_PICKS -> copy(d.variables, variables, "top_category");
                default -> {}
            }
            copyPrefixed(d.variables, id + ".", variables, true);
            blocks.add(new Block(id, variables, products));
        }
        return blocks;
    }

    private static Product browsed(Map<String, String> vars) {
        String id = vars.get(BROWSED + "id");
        if (id == null) {
            return null;
        }
        String price = vars.get(BROWSED + "price");
        return new Product(
                id,
                vars.get(BROWSED + "name"),
                vars.get(BROWSED + "category"),
                price == null ? null : Double.valueOf(price),
                vars.get(BROWSED + "image_url"));
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String... names) {
        for (String name : names) {
            if (from.containsKey(name)) {
                to.put(name, from.get(name));
            }
        }
    }

    private static void copyPrefixed(
            Map<String, String> from, String prefix, Map<String, String> to, boolean strip) {
        from.forEach(
                (name, value) -> {
                    if (name.startsWith(prefix)) {
                        to.put(strip ? name.substring(prefix.length()) : name, value);
                    }
                });
    }
}
