package io.personalize.core.features;

import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.addToCart;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.item;
import static io.personalize.core.features.Events.order;
import static io.personalize.core.features.Events.orderLine;
import static io.personalize.core.features.Events.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AffinityFeaturesTest {

    @Test
    void withoutCategorisedEventsThereIsNoAffinity() {
        CustomerFeatures f = new TestCustomer().apply(view("p1", T0), order("o1", T0)).features();

        assertThat(f.categoryAffinity).isEmpty();
        assertThat(f.topCategories).isEmpty();
    }

    @Test
    void sharesSumToOne() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                view("p1", "shoes", T0),
                                view("p2", "bags", T0.plus(HOUR)),
                                addToCart("p3", "hats", 5.0, 1, T0.plus(days(3))),
                                orderLine("o1", T0.plus(days(9)), item("p4", "shoes", 40.0, 1)),
                                view("p5", "socks", T0.plus(days(20))))
                        .features();

        assertThat(f.categoryAffinity).containsOnlyKeys("shoes", "bags", "hats", "socks");
        assertThat(f.categoryAffinity.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-12));
        assertThat(f.categoryAffinity.values())
                .allSatisfy(share -> assertThat(share).isBetween(0.0, 1.0));
    }

    @Test
    void aPurchaseWeighsFiveViewsAndACartAddThree() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                view("p1", "books", T0),
                                addToCart("p2", "games", 5.0, 1, T0),
                                order("o1", T0, item("p3", "music", 10.0, 1)))
                        .features();

        assertThat(f.categoryAffinity.get("books")).isCloseTo(1.0 / 9, within(1e-12));
        assertThat(f.categoryAffinity.get("games")).isCloseTo(3.0 / 9, within(1e-12));
        assertThat(f.categoryAffinity.get("music")).isCloseTo(5.0 / 9, within(1e-12));
        assertThat(f.topCategories).containsExactly("music", "games", "books");
    }

    @Test
    void onePurchaseOutweighsFourViews() {
        TestCustomer customer = new TestCustomer();
        for (int i = 0; i < 4; i++) {
            customer.apply(view("p" + i, "books", T0.plus(HOUR.multipliedBy(i))));
        }
        customer.apply(orderLine("o1", T0.plus(HOUR), item("p9", "music", 10.0, 1)));

        assertThat(customer.features().topCategories.get(0)).isEqualTo("music");
    }

    @Test
    void topCategoriesAreTheThreeLargestSharesInDescendingOrder() {
        TestCustomer customer = new TestCustomer();
        String[] categories = {"a", "b", "c", "d", "e"};
        int[] views = {1, 4, 2, 5, 3};
        for (int c = 0; c < categories.length; c++) {
            for (int i = 0; i < views[c]; i++) {
                customer.apply(view(categories[c] + i, categories[c], T0));
            }
        }

        assertThat(customer.features().topCategories).containsExactly("d", "b", "e");
        assertThat(customer.value("top_categories", T0)).isEqualTo(List.of("d", "b", "e"));
    }

    @Test
    void equalSharesAreOrderedByName() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(
                                view("p1", "zebra", T0),
                                view("p2", "apple", T0),
                                view("p3", "mango", T0))
                        .features();

        assertThat(f.topCategories).containsExactly("apple", "mango", "zebra");
    }

    @Test
    void olderInterestHalvesEveryThirtyDays() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(view("p1", "old", T0), view("p2", "new", T0.plus(days(30))))
                        .features();

        assertThat(f.categoryAffinity.get("old")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(f.categoryAffinity.get("new")).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aLateEventIsDecayedByItsOwnAge() {
        CustomerFeatures f =
                new TestCustomer()
                        .apply(view("p2", "new", T0.plus(days(30))), view("p1", "old", T0))
                        .features();

        assertThat(f.categoryAffinity.get("old")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(f.categoryAffinity.get("new")).isCloseTo(2.0 / 3, within(1e-12));
    }
}
