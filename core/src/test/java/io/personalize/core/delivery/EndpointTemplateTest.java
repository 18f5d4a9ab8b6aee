package io.personalize.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.personalize.core.decisions.Decision;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PARAMS =
            Map.of("from_email", "shop@example.com", "from_name", "The Shop");

    private static JsonNode render(String shipped, Decision d) throws Exception {
        return JSON.readTree(
                EndpointTemplate.shipped(shipped)
                        .render(d, PARAMS, Map.of("tpl_browse_abandonment", "mapped-id")));
    }

    @Test
    void valuesAreJsonEscapedSoQuotesTagsAndAmpersandsComeBackAsTheyWere() throws Exception {
        Decision d = SentDecisions.browseAbandonment();

        JsonNode sendgrid = render("sendgrid-mail-send", d);
        JsonNode data = sendgrid.at("/personalizations/0/dynamic_template_data");

        assertThat(data.get("browsed_product_name").asText()).isEqualTo("Kettle </script> 1.7 l");
        assertThat(data.get("browsed_product_image_url").asText())
                .isEqualTo("https://img/p3.jpg?w=600&h=400"); // HTML escaping would give &amp;
        assertThat(data.at("/recommendations/0/name").asText()).isEqualTo("Mug \"Classic\"");
        assertThat(data.at("/recommendations/1/name").asText()).isEqualTo("Tea & Co");
        assertThat(data.at("/recommendations/1/price").isNull()).isTrue();
        assertThat(data.at("/recommendations/0/price").asDouble()).isEqualTo(5.0);
        assertThat(EndpointTemplate.shipped("sendgrid-mail-send").render(d, PARAMS, Map.of()))
                .doesNotContain("</script>", "&amp;");
    }

    @Test
    void everyShippedTemplateNamesTheCustomerByIdAndCarriesTheBlocks() throws Exception {
        Decision d = SentDecisions.browseAbandonment();

        JsonNode sendgrid = render("sendgrid-mail-send", d);
        JsonNode klaviyo = render("klaviyo-event", d);
        JsonNode braze = render("braze-campaign-trigger", d);

        assertThat(sendgrid.at("/personalizations/0/to/0/email").asText())
                .isEqualTo("42@resolve.invalid");
        assertThat(sendgrid.at("/personalizations/0/custom_args/decision_id").asText())
                .isEqualTo(d.decisionId);
        assertThat(sendgrid.at("/template_id").asText()).isEqualTo("mapped-id");
        assertThat(sendgrid.at("/from/name").asText()).isEqualTo("The Shop");
        assertThat(sendgrid.at("/from/email").asText())
                .as("the sender is configuration, not masked as a customer's address")
                .isEqualTo("shop@example.com");
        assertThat(klaviyo.at("/data/attributes/profile/data/attributes/external_id").asText())
                .isEqualTo("42");
        assertThat(klaviyo.at("/data/attributes/unique_id").asText()).isEqualTo(d.decisionId);
        assertThat(klaviyo.at("/data/attributes/metric/data/attributes/name").asText())
                .isEqualTo("mapped-id");
        assertThat(braze.at("/recipients/0/external_user_id").asText()).isEqualTo("42");
        assertThat(braze.at("/campaign_id").asText()).isEqualTo("mapped-id");
        for (JsonNode properties :
                new JsonNode[] {
                    sendgrid.at("/personalizations/0/dynamic_template_data"),
                    klaviyo.at("/data/attributes/properties"),
                    braze.at("/recipients/0/trigger_properties")
                }) {
            assertThat(properties.at("/content_blocks/0/products/0/product_id").asText())
                    .isEqualTo("p3");
            assertThat(properties.at("/content_blocks/1/products")).hasSize(3);
            assertThat(properties.at("/content_blocks/2/variables/discount_code").asText())
                    .isEqualTo("SAVE5");
            assertThat(properties.at("/recommendations")).hasSize(3);
        }
    }

    @Test
    void aDecisionWithNothingOptionalStillRendersJson() throws Exception {
        Decision d = new Decision();
        d.decisionId = "d-1";
        d.customerId = "7";

        for (String name : EndpointTemplate.SHIPPED) {
            assertThat(render(name, d).isObject()).as(name).isTrue();
        }
    }

    @Test
    void aTemplateThatDoesNotCompileIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> EndpointTemplate.of("mine", "{\"a\": \"{{#variables}}\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template mine does not compile");
    }

    @Test
    void aTemplateNamingAnUnknownValueIsRefusedNamingIt() {
        assertThatThrownBy(
                        () ->
                                EndpointTemplate.of(
                                        "mine",
                                        "{\"n\": \"{{#recomendations}}x{{/recomendations}}\"}"))
                .hasMessageContaining("template mine names unknown values [recomendations]");
    }

    @Test
    void aTemplateThatDoesNotRenderJsonIsRefusedWithWhere() {
        assertThatThrownBy(
                        () ->
                                EndpointTemplate.of(
                                        "mine",
                                        "{\"ids\": [{{#recommendations}}\"{{product_id}}\",{{/recommendations}}]}"))
                .hasMessageContaining("template mine does not render JSON")
                .hasMessageContaining("line 1");
    }

    @Test
    void partialsAreRefused() {
        assertThatThrownBy(() -> EndpointTemplate.of("mine", "{{> other}}"))
                .hasMessageContaining("partials are not supported");
    }

    @Test
    void anUnknownShippedTemplateIsRefusedNamingTheShippedOnes() {
        assertThatThrownBy(() -> EndpointTemplate.shipped("mailchimp"))
                .hasMessageContaining("no shipped template 'mailchimp'")
                .hasMessageContaining("klaviyo-event");
    }

    @Test
    void theParamsATemplateReadsAreKnown() {
        assertThat(EndpointTemplate.shipped("sendgrid-mail-send").params())
                .containsExactlyInAnyOrder("from_email", "from_name");
        assertThat(EndpointTemplate.shipped("klaviyo-event").params()).isEmpty();
    }
}
