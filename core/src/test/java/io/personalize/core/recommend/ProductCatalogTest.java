package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductCatalogTest {

    private static final String HEADER = "product_id,name,category,price,image_url,in_stock\n";

    @TempDir Path dir;

    @Test
    void loadsEveryColumn() throws IOException {
        ProductCatalog catalog = load(HEADER + "p1,Red shoe,shoes,49.99,https://img/p1.jpg,true\n");

        assertThat(catalog.size()).isEqualTo(1);
        assertThat(catalog.info("p1"))
                .isEqualTo(
                        new ProductInfo(
                                "p1", "Red shoe", "shoes", 49.99, "https://img/p1.jpg", true));
    }

    @Test
    void emptyCellsAreUnknown() throws IOException {
        ProductCatalog catalog = load(HEADER + "p1,,,,,\np2, , ,  , ,\n");

        assertThat(catalog.info("p1"))
                .isEqualTo(new ProductInfo("p1", null, null, null, null, null));
        assertThat(catalog.info("p2"))
                .isEqualTo(new ProductInfo("p2", null, null, null, null, null));
    }

    @Test
    void columnsAreFoundByHeaderNameInAnyOrderAndUnknownOnesIgnored() throws IOException {
        ProductCatalog catalog =
                load("In_Stock, colour ,PRICE,product_id\nno,red,12.5,p1\n,blue,,p2\n");

        assertThat(catalog.info("p1"))
                .isEqualTo(new ProductInfo("p1", null, null, 12.5, null, false));
        assertThat(catalog.info("p2"))
                .isEqualTo(new ProductInfo("p2", null, null, null, null, null));
    }

    @Test
    void aShortRowLeavesTheMissingCellsUnknown() throws IOException {
        ProductCatalog catalog = load(HEADER + "p1,Red shoe\n");

        assertThat(catalog.info("p1").name).isEqualTo("Red shoe");
        assertThat(catalog.info("p1").price).isNull();
    }

    @Test
    void inStockAcceptsTrueFalseOneZeroYesNoInAnyCase() throws IOException {
        ProductCatalog catalog =
                load("product_id,in_stock\na,true\nb,1\nc,YES\nd,False\ne,0\nf,no\ng,\n");

        assertThat(catalog.products())
                .extracting(p -> p.inStock)
                .containsExactly(true, true, true, false, false, false, null);
    }

    @Test
    void outOfStockOnlyWhenKnownAndMarkedSo() throws IOException {
        ProductCatalog catalog = load("product_id,in_stock\nin,yes\nout,no\nunsure,\n");

        assertThat(catalog.outOfStock("out")).isTrue();
        assertThat(catalog.outOfStock("in")).isFalse();
        assertThat(catalog.outOfStock("unsure")).isFalse();
        assertThat(catalog.outOfStock("unknown")).isFalse();
    }

    @Test
    void unknownProductsHaveNoInfo() {
        assertThat(ProductCatalog.empty().info("p1")).isNull();
        assertThat(ProductCatalog.empty().size()).isZero();
        assertThat(ProductCatalog.empty().products()).isEmpty();
    }

    @Test
    void productsAreListedByIdAndCannotChangeTheCatalog() throws IOException {
        ProductCatalog catalog = load(HEADER + "p2,B,,,,\np1,A,,,,\n");

        assertThat(catalog.products()).extracting(p -> p.productId).containsExactly("p1", "p2");
        catalog.info("p1").name = "changed";
        catalog.products().iterator().next().name = "changed";
        assertThat(catalog.info("p1").name).isEqualTo("A");
    }

    @Test
    void blankLinesByteOrderMarkAndQuotedCellsAreRead() throws IOException {
        ProductCatalog catalog = load("\uFEFF" + HEADER + "\n\"p1\",\"Shoe, red\",shoes,1,,\r\n\n");

        assertThat(catalog.info("p1").name).isEqualTo("Shoe, red");
        assertThat(catalog.size()).isEqualTo(1);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ProductCatalog catalog = load(HEADER + "p1,Red shoe,shoes,49.99,,no\n");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(catalog);
        }
        Object copy =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();

        assertThat(copy).isEqualTo(catalog);
    }

    @Test
    void refusesAFileWithoutProductIdColumn() {
        assertRefused("id,name\np1,A\n", "line 1: missing product_id column");
    }

    @Test
    void refusesAnEmptyFile() {
        assertRefused("", "line 1: missing product_id column");
    }

    @Test
    void refusesABadPrice() {
        assertRefused(HEADER + "p1,A,,1.00,,\np2,B,,\"12,99\",,\n", "line 3: bad price \"12,99\"");
        assertRefused(HEADER + "p1,A,,-1,,\n", "line 2: bad price \"-1\"");
        assertRefused(HEADER + "p1,A,,NaN,,\n", "line 2: bad price \"NaN\"");
    }

    @Test
    void refusesABadInStock() {
        assertRefused(HEADER + "p1,A,,,,maybe\n", "line 2: bad in_stock \"maybe\"");
    }

    @Test
    void refusesADuplicateProductId() {
        assertRefused(HEADER + "p1,A,,,,\np2,B,,,,\np1,C,,,,\n", "line 4: duplicate product id p1");
    }

    @Test
    void refusesARowWithoutProductId() {
        assertRefused(HEADER + "p1,A,,,,\n,B,,,,\n", "line 3: missing product_id");
    }

    @Test
    void refusesADuplicateColumn() {
        assertRefused("product_id,price,Price\n", "line 1: duplicate column price");
    }

    @Test
    void refusesUnclosedQuotes() {
        assertRefused(HEADER + "p1,A,,,,\np2,\"unclosed,,,,\n", "line 3: unreadable CSV");
    }

    @Test
    void lineNumbersCountPhysicalLinesWhenACellSpansLines() {
        assertRefused(HEADER + "p1,\"two\nlines\",,,,\np2,,,oops,,\n", "line 4: bad price");
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path missing = dir.resolve("nope.csv");

        assertThatThrownBy(() -> ProductCatalog.load(missing))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(missing + ": cannot read the file");
    }

    private ProductCatalog load(String content) throws IOException {
        return ProductCatalog.load(write(content));
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("products.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private void assertRefused(String content, String problem) {
        Path file;
        try {
            file = write(content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> ProductCatalog.load(file))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith(file + ": " + problem);
    }
}
