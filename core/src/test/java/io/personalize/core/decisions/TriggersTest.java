package io.personalize.core.decisions;

import static io.personalize.core.testing.Times.HOUR;
import static io.personalize.core.testing.Times.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.carts.BrowseAbandonment;
import io.personalize.core.carts.CartAbandonment;
import io.personalize.core.carts.CartAbandonment.Status;
import io.personalize.core.features.CartLine;
import io.personalize.core.recommend.ProductInfo;
import io.personalize.core.recommend.Recommendation;
import io.personalize.core.segments.SegmentChange;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggersTest {

    private static CartAbandonment cart(Status status) {
        CartAbandonment a = new CartAbandonment();
        a.abandonmentId = "cart-7";
        a.customerKey = "c:1";
        a.customerId = "1";
        a.status = status;
        a.at = T0 + HOUR;
        a.items = List.of(line("p1"), line("p2"));
        Recommendation r = new Recommendation();
        r.productId = "p9";
        a.recommendations = List.of(r);
        return a;
    }

    private static CartLine line(String productId) {
        CartLine line = new CartLine();
        line.productId = productId;
        line.quantity = 1;
        return line;
    }

    @Test
    void anAbandonedCartTriggersItsPatternWithTheCartsProductsAndRecommendations() {
        Trigger t = Triggers.of(cart(Status.ABANDONED));

        assertThat(t.kind).isEqualTo(Trigger.PATTERN);
        assertThat(t.name).isEqualTo(Triggers.CART_ABANDONED);
        assertThat(t.triggeringId).isEqualTo("cart-7/abandoned");
        assertThat(t.at).isEqualTo(T0 + HOUR);
        assertThat(t.customerKey).isEqualTo("c:1");
        assertThat(t.productIds).containsExactly("p1", "p2");
        assertThat(t.recommendations).extracting(r -> r.productId).containsExactly("p9");
    }

    @Test
    void aDueReminderTriggersTheReminderPatternWithAnIdOfItsOwn() {
        Trigger t = Triggers.of(cart(Status.REMINDER_DUE));

        assertThat(t.name).isEqualTo(Triggers.CART_REMINDER_DUE);
        assertThat(t.triggeringId).isEqualTo("cart-7/reminder_due");
    }

    @Test
    void aRecoveredOrEmptiedCartTriggersNothing() {
        assertThat(Triggers.of(cart(Status.RECOVERED))).isNull();
        assertThat(Triggers.of(cart(Status.EMPTIED))).isNull();
    }

    @Test
    void aBrowseAbandonmentTriggersOnItsProductOncePerLastView() {
        BrowseAbandonment b = new BrowseAbandonment();
        b.customerKey = "c:1";
        b.customerId = "1";
        b.productId = "p3";
        b.lastViewAt = T0;
        b.at = T0 + HOUR;

        Trigger t = Triggers.of(b);

        assertThat(t.kind).isEqualTo(Trigger.PATTERN);
        assertThat(t.name).isEqualTo(Triggers.BROWSE_ABANDONED);
        assertThat(t.triggeringId).isEqualTo("browse/p3/" + T0);
        assertThat(t.at).isEqualTo(T0 + HOUR);
        assertThat(t.productIds).containsExactly("p3");
    }

    @Test
    void aBrowseAbandonmentCarriesTheBrowsedProductAsTheCatalogDescribesItAndItsPicks() {
        BrowseAbandonment b = new BrowseAbandonment();
        b.customerKey = "c:1";
        b.productId = "p3";
        b.describeWith(
                new ProductInfo("p3", "Kettle", "kitchen", 29.9, "https://img/p3.jpg", true));
        b.recommendations =
                List.of(new Recommendation("p4", "Mug", "kitchen", 5.0, null, "popular", 2.0));

        Trigger t = Triggers.of(b);

        assertThat(t.products)
                .containsExactly(
                        new ProductInfo(
                                "p3", "Kettle", "kitchen", 29.9, "https://img/p3.jpg", null));
        assertThat(t.recommendations).isEqualTo(b.recommendations);
    }

    @Test
    void aSegmentChangeTriggersByItsDirectionNamedAfterTheSegment() {
        SegmentChange entered = new SegmentChange();
        entered.customerKey = "c:1";
        entered.customerId = "1";
        entered.segmentId = "lapsed_customers";
        entered.change = SegmentChange.ENTERED;
        entered.changeId = "change-1";
        entered.eventTime = T0;
        SegmentChange exited = new SegmentChange();
        exited.segmentId = "lapsed_customers";
        exited.change = SegmentChange.EXITED;
        exited.changeId = "change-2";

        Trigger in = Triggers.of(entered);
        Trigger out = Triggers.of(exited);

        assertThat(in.kind).isEqualTo(Trigger.SEGMENT_ENTERED);
        assertThat(in.name).isEqualTo("lapsed_customers");
        assertThat(in.triggeringId).isEqualTo("change-1");
        assertThat(in.at).isEqualTo(T0);
        assertThat(out.kind).isEqualTo(Trigger.SEGMENT_EXITED);
        assertThat(out.triggeringId).isEqualTo("change-2");
    }
}
