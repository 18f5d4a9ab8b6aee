package io.personalize.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.decisions.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentBlocksTest {

    @Test
    void eachChosenBlockCarriesItsVariablesAndProductsInTheOrderChosen() {
        List<ContentBlocks.Block> blocks = ContentBlocks.of(SentDecisions.browseAbandonment());

        assertThat(blocks)
                .extracting(ContentBlocks.Block::id)
                .containsExactly("browsed_products", "recommendations", "offer");
        ContentBlocks.Block browsed = blocks.get(0);
        assertThat(browsed.variables())
                .containsOnlyKeys(
                        "browsed_product_id",
                        "browsed_product_name",
                        "browsed_product_category",
                        "browsed_product_price",
                        "browsed_product_image_url");
        assertThat(browsed.products())
                .containsExactly(
                        new ContentBlocks.Product(
                                "p3",
                                "Kettle </script> 1.7 l",
                                "kitchen",
                                29.9,
                                "https://img/p3.jpg?w=600&h=400"));
        assertThat(blocks.get(1).products())
                .extracting(ContentBlocks.Product::productId)
                .containsExactly("p11", "p12", "p13");
        assertThat(blocks.get(1).variables()).isEmpty();
        assertThat(blocks.get(2).variables()).containsExactly(Map.entry("discount_code", "SAVE5"));
        assertThat(blocks.get(2).products()).isEmpty();
    }

    @Test
    void aCartBlockCarriesTheCartAndABlockWithoutDataNothing() {
        Decision d = SentDecisions.browseAbandonment();
        d.contentBlocks.clear();
        d.contentBlocks.add(ContentBlocks.CART_ITEMS);
        d.contentBlocks.add("latest_products");

        List<ContentBlocks.Block> blocks = ContentBlocks.of(d);

        assertThat(blocks.get(0).variables())
                .containsExactly(Map.entry("cart_items", "0"), Map.entry("cart_value", "0.00"));
        assertThat(blocks.get(1).variables()).isEmpty();
        assertThat(blocks.get(1).products()).isEmpty();
    }

    @Test
    void theGenericBodyCarriesTheBlocksBesideTheirIds() throws Exception {
        JsonNode data =
                new ObjectMapper()
                        .readTree(TriggerPayload.json(SentDecisions.browseAbandonment()))
                        .get("data");

        assertThat(data.get("content_blocks")).hasSize(3);
        assertThat(data.at("/blocks/0/id").asText()).isEqualTo("browsed_products");
        assertThat(data.at("/blocks/0/products/0/product_id").asText()).isEqualTo("p3");
        assertThat(data.at("/blocks/0/products/0/price").asDouble()).isEqualTo(29.9);
        assertThat(data.at("/blocks/1/products")).hasSize(3);
        assertThat(data.at("/blocks/2/variables/discount_code").asText()).isEqualTo("SAVE5");
        assertThat(data.at("/recommendations/1/product_id").asText()).isEqualTo("p12");
        assertThat(data.at("/recommendations/1/price").isMissingNode()).isTrue();
    }
}
