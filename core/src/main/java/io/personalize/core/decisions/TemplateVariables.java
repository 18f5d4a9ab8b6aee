package io.personalize.core.decisions;

import io.personalize.core.features.CustomerFeatures;
import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The personalization variables a decision hands its template ({@code decisions.variables}): the
 * customer id, the cart, the top category, the browsed product of a browse abandonment ({@code
 * browsed_product_id}, {@code _name}, {@code _category}, {@code _price}, {@code _image_url}), the
 * first {@link #PRODUCT_VARIABLES} recommended products ({@code product_1_id}, {@code
 * product_1_name}, {@code product_1_price}, {@code product_1_image_url}, ...) and the variables the
 * chosen content rules set for their blocks ({@code block.variable}, e.g. {@code
 * exclusive_discount.discount_code}). Never an email address or a name of the customer: the
 * customer is named by id only. Prices as text with two decimals.
 */
final class TemplateVariables {
    /** Recommended products put in the variables. */
    static final int PRODUCT_VARIABLES = 4;

    static final String BROWSED_PRODUCT = "browsed_product_";

    private TemplateVariables() {}

    static Map<String, String> of(
            Trigger t, CustomerFeatures features, Map<String, String> contentVariables) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (t.customerId != null) {
            vars.put("customer_id", t.customerId);
        }
        if (features != null) {
            vars.put("cart_items", Long.toString(features.cartItems));
            vars.put("cart_value", money(features.cartValue));
            if (features.topCategories != null && !features.topCategories.isEmpty()) {
                vars.put("top_category", features.topCategories.get(0));
            }
        }
        if (Triggers.BROWSE_ABANDONED.equals(t.name) && t.products != null) {
            t.products.stream().findFirst().ifPresent(p -> browsedProduct(p, vars));
        }
        List<Recommendation> recs = t.recommendations == null ? List.of() : t.recommendations;
        for (int i = 0; i < Math.min(PRODUCT_VARIABLES, recs.size()); i++) {
            Recommendation rec = recs.get(i);
            String prefix = "product_" + (i + 1) + "_";
            putProduct(prefix, rec.productId, rec.name, null, rec.price, rec.imageUrl, vars);
        }
        vars.putAll(contentVariables);
        return vars;
    }

    private static void browsedProduct(ProductInfo p, Map<String, String> vars) {
        putProduct(BROWSED_PRODUCT, p.productId, p.name, p.category, p.price, p.imageUrl, vars);
    }

    private static void putProduct(
            String prefix,
            String id,
            String name,
            String category,
            Double price,
            String imageUrl,
            Map<String, String> vars) {
        vars.put(prefix + "id", id);
        if (name != null) {
            vars.put(prefix + "name", name);
        }
        if (category != null) {
            vars.put(prefix + "category", category);
        }
        if (price != null) {
            vars.put(prefix + "price", money(price));
        }
        if (imageUrl != null) {
            vars.put(prefix + "image_url", imageUrl);
        }
    }

    static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }
}
