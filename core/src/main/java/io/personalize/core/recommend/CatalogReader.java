package io.personalize.core.recommend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a product catalog CSV file into products by id, refusing the whole file at the first
 * problem with a {@link CatalogException} that names the file, line and problem.
 *
 * <p>Columns are found by header name (trimmed, any case), so their order does not matter and
 * unknown columns are ignored. A row shorter than the header leaves the missing cells empty. Blank
 * lines are skipped. Line numbers are physical lines, so they stay right when a quoted cell spans
 * lines.
 */
final class CatalogReader {
    static final String PRODUCT_ID = "product_id";
    static final String NAME = "name";
    static final String CATEGORY = "category";
    static final String PRICE = "price";
    static final String IMAGE_URL = "image_url";
    static final String IN_STOCK = "in_stock";

    /** Empty lines are kept as records so that counting lines before each record stays exact. */
    private static final CSVFormat FORMAT =
            CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

    private final String file;
    private final Map<String, Integer> columns = new HashMap<>();
    private final Map<String, ProductInfo> byId = new TreeMap<>();
    private long line;

    private CatalogReader(Path file) {
        this.file = file.toString();
    }

    static Map<String, ProductInfo> read(Path file) {
        CatalogReader reader = new CatalogReader(file);
        try (Reader in =
                        withoutByteOrderMark(
                                Files.newBufferedReader(file, StandardCharsets.UTF_8));
                CSVParser parser = CSVParser.parse(in, FORMAT)) {
            reader.readAll(parser);
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot read the file: " + e, e);
        } catch (UncheckedIOException e) {
            // commons-csv reports bad quoting this way, while reading the record at `line`
            throw reader.refuse("unreadable CSV (bad quoting or not UTF-8?): " + e.getMessage(), e);
        }
        return reader.byId;
    }

    private void readAll(CSVParser parser) {
        Iterator<CSVRecord> records = parser.iterator();
        boolean header = true;
        while (true) {
            line = parser.getCurrentLineNumber() + 1;
            if (!records.hasNext()) {
                break;
            }
            CSVRecord record = records.next();
            if (isBlank(record)) {
                continue;
            }
            if (header) {
                readHeader(record);
                header = false;
            } else {
                readProduct(record);
            }
        }
        if (header) {
            line = 1;
            throw refuse("missing " + PRODUCT_ID + " column (the file is empty)", null);
        }
    }

    private void readHeader(CSVRecord record) {
        for (int i = 0; i < record.size(); i++) {
            String name = record.get(i).trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && columns.putIfAbsent(name, i) != null) {
                throw refuse("duplicate column " + name, null);
            }
        }
        if (!columns.containsKey(PRODUCT_ID)) {
            throw refuse("missing " + PRODUCT_ID + " column in header " + record.toList(), null);
        }
    }

    private void readProduct(CSVRecord record) {
        String id = cell(record, PRODUCT_ID);
        if (id == null) {
            throw refuse("missing product_id", null);
        }
        ProductInfo info =
                new ProductInfo(
                        id,
                        cell(record, NAME),
                        cell(record, CATEGORY),
                        price(cell(record, PRICE)),
                        cell(record, IMAGE_URL),
                        inStock(cell(record, IN_STOCK)));
        if (byId.putIfAbsent(id, info) != null) {
            throw refuse("duplicate product id " + id, null);
        }
    }

    /** The trimmed cell of a column, or null when the column is absent, the row short or blank. */
    private String cell(CSVRecord record, String column) {
        Integer index = columns.get(column);
        if (index == null || index >= record.size()) {
            return null;
        }
        String value = record.get(index).trim();
        return value.isEmpty() ? null : value;
    }

    /**
     * A non-negative decimal number; BigDecimal refuses NaN, Infinity and hex that parseDouble
     * takes.
     */
    private Double price(String text) {
        if (text == null) {
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(text);
            if (price.signum() >= 0) {
                return price.doubleValue();
            }
        } catch (NumberFormatException e) {
            // refused below, with the line
        }
        throw refuse(
                "bad price \"" + text + "\" (expected a non-negative number like 12.99)", null);
    }

    private Boolean inStock(String text) {
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes":
                return Boolean.TRUE;
            case "false", "0", "no":
                return Boolean.FALSE;
            default:
                throw refuse(
                        "bad in_stock \"" + text + "\" (expected true/false, 1/0 or yes/no)", null);
        }
    }

    private static boolean isBlank(CSVRecord record) {
        return record.size() == 1 && record.get(0).isBlank();
    }

    private CatalogException refuse(String problem, Throwable cause) {
        return new CatalogException(file + ": line " + line + ": " + problem, cause);
    }

    private static Reader withoutByteOrderMark(BufferedReader in) throws IOException {
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        return in;
    }
}
