package io.personalize.core.generator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes the product catalog that matches the demo data: one CSV row for each of the generator's
 * 200 products, with the header {@code product_id,name,category,price,image_url,in_stock} that
 * {@code io.personalize.core.recommend.ProductCatalog} reads.
 *
 * <p>The category is the {@code category_code} the generator puts in events (e.g. {@code
 * apparel.shoes}), which is the category the feature engine derives from them. The price is the
 * events' price in euros. Like the catalog itself, the file does not depend on any seed.
 *
 * <pre>{@code
 * CatalogFile.write(Path.of("demo/products.csv"));
 * }</pre>
 */
public final class CatalogFile {

    /**
     * Every {@value}th product in catalog order (categories as the generator lists them, products
     * by number) is out of stock: 16 of 200, two in each category, the same in every file.
     */
    static final int OUT_OF_STOCK_EVERY = 12;

    static final String IMAGE_BASE = "https://shop.example.com/images/";

    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180
                    .builder()
                    .setHeader("product_id", "name", "category", "price", "image_url", "in_stock")
                    .setRecordSeparator('\n')
                    .get();

    private CatalogFile() {}

    /** Writes the catalog to {@code file} (UTF-8, '\n' line ends), creating parent directories. */
    public static void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Catalog catalog = Catalog.standard();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            int position = 0;
            for (Catalog.Category category : catalog.categories()) {
                for (Catalog.Product p : catalog.products(category.index())) {
                    position++;
                    printer.printRecord(
                            p.productId(),
                            p.name(),
                            p.categoryCode(),
                            BigDecimal.valueOf(p.priceCents(), 2).toPlainString(),
                            IMAGE_BASE + p.productId() + ".jpg",
                            position % OUT_OF_STOCK_EVERY != 0);
                }
            }
        }
    }
}
