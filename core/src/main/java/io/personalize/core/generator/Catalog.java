package io.personalize.core.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed demo product catalog: eight categories with 25 products each ({@code
 * p-<category_code>-NN}) and fixed prices.
 *
 * <p>The catalog does not depend on the generator seed, so a product id always has the same name,
 * brand and price in every data set. Products of a category are sorted by price so that a
 * customer's price level (0 = cheapest, 1 = most expensive) maps to a position in the list.
 */
final class Catalog {

    /** Products per category. */
    static final int PRODUCTS_PER_CATEGORY = 25;

    /** One product category. {@code popularity} weights how often it is a preferred category. */
    record Category(
            int index,
            long categoryId,
            String code,
            String label,
            List<String> brands,
            long minCents,
            long maxCents,
            double popularity,
            int maxQuantity) {}

    /** One product with its fixed price in euro cents. */
    record Product(
            String productId,
            String name,
            long categoryId,
            String categoryCode,
            int categoryIndex,
            String brand,
            long priceCents) {}

    private static final Catalog STANDARD = new Catalog();

    private final List<Category> categories;
    private final List<List<Product>> products;

    private Catalog() {
        categories =
                List.of(
                        category(
                                0,
                                "electronics.smartphone",
                                "Smartphone",
                                149,
                                1199,
                                1.0,
                                1,
                                "Voltra",
                                "Nexaphone",
                                "Kibo"),
                        category(
                                1,
                                "apparel.shoes",
                                "Shoes",
                                39,
                                219,
                                1.2,
                                2,
                                "Stridewell",
                                "Ambler",
                                "Kestrel"),
                        category(
                                2,
                                "home.kitchen",
                                "Kitchen",
                                9,
                                349,
                                1.0,
                                2,
                                "Hearthly",
                                "Copperleaf",
                                "Brava"),
                        category(
                                3,
                                "beauty.skincare",
                                "Skincare",
                                6,
                                89,
                                0.9,
                                3,
                                "Lumen Botanics",
                                "Dewpoint",
                                "Aurel"),
                        category(
                                4,
                                "sports.fitness",
                                "Fitness",
                                12,
                                499,
                                0.8,
                                2,
                                "Peakform",
                                "Corewise",
                                "Tempo"),
                        category(
                                5,
                                "books.fiction",
                                "Fiction",
                                7,
                                29,
                                0.7,
                                2,
                                "Harbor Press",
                                "Quillstone",
                                "Northlight"),
                        category(
                                6,
                                "toys.kids",
                                "Kids toys",
                                8,
                                129,
                                0.6,
                                2,
                                "Blinkbox",
                                "Tumbletown",
                                "Pebble"),
                        category(
                                7,
                                "grocery.coffee",
                                "Coffee",
                                4,
                                39,
                                0.8,
                                4,
                                "Roastery 9",
                                "Bean & Co",
                                "Alto"));
        SplittableRandom prices = new SplittableRandom(20250106L);
        List<List<Product>> all = new ArrayList<>();
        for (Category c : categories) {
            List<Long> cents = new ArrayList<>();
            for (int i = 0; i < PRODUCTS_PER_CATEGORY; i++) {
                double euros =
                        c.minCents()
                                / 100.0
                                * StrictMath.pow(
                                        c.maxCents() / (double) c.minCents(), prices.nextDouble());
                cents.add(Math.max(99, Math.round(euros) * 100 - 1));
            }
            Collections.sort(cents);
            List<Product> list = new ArrayList<>();
            for (int i = 0; i < PRODUCTS_PER_CATEGORY; i++) {
                String nn = String.format("%02d", i + 1);
                String brand = c.brands().get(prices.nextInt(c.brands().size()));
                list.add(
                        new Product(
                                "p-" + c.code() + "-" + nn,
                                brand + " " + c.label() + " " + nn,
                                c.categoryId(),
                                c.code(),
                                c.index(),
                                brand,
                                cents.get(i)));
            }
            all.add(List.copyOf(list));
        }
        products = List.copyOf(all);
    }

    private static Category category(
            int index,
            String code,
            String label,
            long minEuro,
            long maxEuro,
            double popularity,
            int maxQuantity,
            String... brands) {
        return new Category(
                index,
                1000 + index,
                code,
                label,
                List.of(brands),
                minEuro * 100,
                maxEuro * 100,
                popularity,
                maxQuantity);
    }

    /** The one standard catalog. */
    static Catalog standard() {
        return STANDARD;
    }

    List<Category> categories() {
        return categories;
    }

    Category category(int index) {
        return categories.get(index);
    }

    /** Products of a category, cheapest first. */
    List<Product> products(int categoryIndex) {
        return products.get(categoryIndex);
    }

    /**
     * Picks a product of a category near the customer's price level (0..1), with some spread so
     * that a customer does not always see the same product.
     */
    Product pick(int categoryIndex, double priceLevel, SplittableRandom rnd) {
        double center = priceLevel * (PRODUCTS_PER_CATEGORY - 1);
        int i = (int) Math.round(center + gaussian(rnd) * 4.0);
        i = Math.max(0, Math.min(PRODUCTS_PER_CATEGORY - 1, i));
        return products(categoryIndex).get(i);
    }

    /** A category drawn by popularity. */
    int randomCategory(SplittableRandom rnd) {
        double sum = 0;
        for (Category c : categories) {
            sum += c.popularity();
        }
        double u = rnd.nextDouble() * sum;
        for (Category c : categories) {
            u -= c.popularity();
            if (u < 0) {
                return c.index();
            }
        }
        return categories.size() - 1;
    }

    /**
     * A standard normal draw (Box-Muller, one value) from the given generator. The generator uses
     * {@link StrictMath} throughout so that output is identical on every JVM and platform.
     */
    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
