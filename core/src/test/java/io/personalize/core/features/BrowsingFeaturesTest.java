package io.personalize.core.features;

import static io.personalize.core.features.Events.DAY;
import static io.personalize.core.features.Events.HOUR;
import static io.personalize.core.features.Events.MINUTE;
import static io.personalize.core.features.Events.MS;
import static io.personalize.core.features.Events.SECOND;
import static io.personalize.core.features.Events.T0;
import static io.personalize.core.features.Events.addToCart;
import static io.personalize.core.features.Events.days;
import static io.personalize.core.features.Events.inSession;
import static io.personalize.core.features.Events.pageView;
import static io.personalize.core.features.Events.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.Event;
import io.personalize.core.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrowsingFeaturesTest {
    private static final Duration D7 = days(7);

    @Test
    void productViewsCountForSevenDaysAndDropExactlyAfterThem() {
        TestCustomer customer = new TestCustomer().apply(view("p1", T0), view("p2", T0.plus(DAY)));

        assertThat(customer.value("product_views_7d", T0.plus(D7))).isEqualTo(2L);
        assertThat(customer.nextChangeAt()).contains(T0.plus(D7).plus(MS));
        assertThat(customer.value("product_views_7d", T0.plus(D7).plus(MS))).isEqualTo(1L);
        assertThat(customer.nextChangeAt()).contains(T0.plus(DAY).plus(D7).plus(MS));
        assertThat(customer.value("product_views_7d", T0.plus(DAY).plus(D7).plus(MS)))
                .isEqualTo(0L);
        assertThat(customer.nextChangeAt()).isEmpty();
    }

    @Test
    void viewsInTheSameMinuteShareOneEntryThatDropsWithTheLatestOfThem() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(view("p1", T0.plus(SECOND.multipliedBy(10))))
                        .apply(view("p2", T0.plus(SECOND.multipliedBy(50))));

        Instant latestExpiry = T0.plus(SECOND.multipliedBy(50)).plus(D7).plus(MS);
        assertThat(customer.value("product_views_7d", T0.plus(D7).plus(SECOND.multipliedBy(11))))
                .isEqualTo(2L);
        assertThat(customer.nextChangeAt()).contains(latestExpiry);
        assertThat(customer.value("product_views_7d", latestExpiry)).isEqualTo(0L);
    }

    @Test
    void aSteadyStreamOfViewsStillDropsEveryViewLessThanAMinuteAfterItsExpiry() {
        List<Instant> viewTimes = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            viewTimes.add(T0.plus(SECOND.multipliedBy(20L * i))); // one every 20 s for 30 min
        }
        TestCustomer customer = new TestCustomer();
        viewTimes.forEach(at -> customer.apply(view("p" + at.getEpochSecond(), at)));

        for (Instant asOf = T0.plus(D7);
                asOf.isBefore(T0.plus(D7).plus(HOUR));
                asOf = asOf.plus(SECOND.multipliedBy(7))) {
            long counted = customer.at(asOf).productViews7d;
            long exact = viewsWithin(viewTimes, asOf);
            long aMinuteEarlier = viewsWithin(viewTimes, asOf.minus(MINUTE));
            assertThat(counted).as("views at %s", asOf).isBetween(exact, aMinuteEarlier);
        }
    }

    private static long viewsWithin(List<Instant> times, Instant asOf) {
        return times.stream().filter(t -> !t.isAfter(asOf) && !t.plus(D7).isBefore(asOf)).count();
    }

    @Test
    void addToCartsCountForSevenDays() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                addToCart("p1", 10.0, 1, T0),
                                addToCart("p2", 10.0, 1, T0.plus(HOUR)),
                                addToCart("p3", 10.0, 1, T0.plus(days(3))));

        assertThat(customer.value("add_to_carts_7d", T0.plus(D7))).isEqualTo(3L);
        assertThat(customer.value("add_to_carts_7d", T0.plus(D7).plus(MS))).isEqualTo(2L);
        assertThat(customer.value("add_to_carts_7d", T0.plus(days(10)).plus(MS))).isEqualTo(0L);
    }

    @Test
    void aNewSessionIdStartsASessionAndTheSameIdContinuesIt() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                inSession("s1", pageView(T0)),
                                inSession("s1", view("p1", T0.plus(HOUR))),
                                inSession("s2", view("p2", T0.plus(HOUR).plus(MINUTE))),
                                inSession("s2", addToCart("p2", 5.0, 1, T0.plus(days(1)))));

        assertThat(customer.features().sessions7d).isEqualTo(2);
    }

    @Test
    void withoutSessionIdsAGapOfMoreThanThirtyMinutesStartsASession() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                pageView(T0),
                                view("p1", T0.plus(MINUTE.multipliedBy(30))), // gap of 30 min
                                view("p2", T0.plus(HOUR).plus(MS)), // gap of 30 min + 1 ms
                                Events.event(EventType.SEARCH, T0.plus(HOUR.multipliedBy(2))));

        assertThat(customer.features().sessions7d).isEqualTo(3);
    }

    @Test
    void emailAndOrderEventsDoNotStartWebSessions() {
        TestCustomer customer =
                new TestCustomer().apply(Events.opened(T0), Events.order("o1", T0.plus(HOUR)));

        assertThat(customer.features().sessions7d).isZero();
        assertThat(customer.features().productViews7d).isZero();
    }

    @Test
    void sessionsCountForSevenDaysFromTheirStart() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                inSession("s1", pageView(T0.plus(SECOND))),
                                inSession("s2", pageView(T0.plus(DAY))));

        assertThat(customer.value("sessions_7d", T0.plus(SECOND).plus(D7))).isEqualTo(2L);
        assertThat(customer.nextChangeAt()).contains(T0.plus(SECOND).plus(D7).plus(MS));
        assertThat(customer.value("sessions_7d", T0.plus(SECOND).plus(D7).plus(MS))).isEqualTo(1L);
    }

    @Test
    void recentlyViewedProductsAreDistinctAndNewestFirst() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                view("p1", T0),
                                view("p2", T0.plus(HOUR)),
                                view("p3", T0.plus(HOUR.multipliedBy(2))),
                                view("p1", T0.plus(HOUR.multipliedBy(3))));

        assertThat(customer.features().recentlyViewedProducts).containsExactly("p1", "p3", "p2");
        assertThat(customer.features().productViews7d).isEqualTo(4);
    }

    @Test
    void aLateOlderViewDoesNotMoveAProductBack() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                view("p1", T0.plus(HOUR.multipliedBy(3))),
                                view("p2", T0.plus(HOUR.multipliedBy(2))),
                                view("p1", T0));

        assertThat(customer.features().recentlyViewedProducts).containsExactly("p1", "p2");
    }

    @Test
    void recentlyViewedProductsKeepTheFiftyNewest() {
        TestCustomer customer = new TestCustomer();
        for (int i = 0; i < 60; i++) {
            customer.apply(view("p" + i, T0.plus(MINUTE.multipliedBy(i))));
        }

        List<String> expected = new ArrayList<>();
        for (int i = 59; i >= 10; i--) {
            expected.add("p" + i);
        }
        assertThat(customer.features().recentlyViewedProducts)
                .hasSize(FeatureEngine.MAX_RECENT_VIEWS)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aRecentlyViewedProductDropsExactlySevenDaysAfterItsLatestView() {
        TestCustomer customer =
                new TestCustomer()
                        .apply(
                                view("p1", T0.plus(SECOND.multipliedBy(5))),
                                view("p2", T0.plus(SECOND.multipliedBy(30))));
        Instant p1Expiry = T0.plus(SECOND.multipliedBy(5)).plus(D7).plus(MS);

        assertThat(customer.at(p1Expiry.minus(MS)).recentlyViewedProducts)
                .containsExactly("p2", "p1");
        assertThat(customer.nextChangeAt()).contains(p1Expiry);
        assertThat(customer.at(p1Expiry).recentlyViewedProducts).containsExactly("p2");
        assertThat(customer.at(p1Expiry.plus(MINUTE)).recentlyViewedProducts).isEmpty();
        assertThat(customer.value("recently_viewed_products", p1Expiry.plus(MINUTE)))
                .isEqualTo(List.of());
    }

    @Test
    void aViewWithoutCategoryStillCountsAndIsRemembered() {
        Event view = view("p1", T0);

        TestCustomer customer = new TestCustomer().apply(view);

        assertThat(customer.features().productViews7d).isEqualTo(1);
        assertThat(customer.features().recentlyViewedProducts).containsExactly("p1");
        assertThat(customer.features().categoryAffinity).isEmpty();
    }
}
