package io.personalize.core.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What all customer timelines of one run share: the settings, the simulated time window, the
 * activity intensity, the catalog and the e-mail campaign calendar. Immutable, so timelines can be
 * replayed independently (once to count lines, once to emit them) with identical results.
 */
final class World {

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long MONTH = 30 * DAY;

    /**
     * One e-mail campaign: sent to the targeted customers at {@code sendAt}, themed on a category.
     */
    record Campaign(int number, String campaignId, long sendAt, int themeCategory) {}

    final DemoDataGenerator.Settings settings;
    final long startMs;
    final long endMs;

    /**
     * Multiplies all behaviour rates (sessions, purchases, campaign reach) so that customers
     * produce about {@code eventsPerCustomerHint} lines over the span.
     */
    final double intensity;

    /**
     * Chance of an extra malformed line per valid line, so that malformed lines reach the share.
     */
    final double malformedOdds;

    final Catalog catalog = Catalog.standard();
    final List<Campaign> campaigns;

    World(DemoDataGenerator.Settings settings, double intensity) {
        this.settings = settings;
        this.startMs = settings.start().toEpochMilli();
        this.endMs = startMs + settings.span().toMillis();
        this.intensity = intensity;
        double m = settings.malformedShare();
        this.malformedOdds = m <= 0 ? 0 : m * (1 + CustomerTimeline.DUPLICATE_SHARE) / (1 - m);
        this.campaigns = campaignCalendar();
    }

    /** Weekly campaigns (09:00 UTC ± 3 h, first one day after the start) and some mid-week ones. */
    private List<Campaign> campaignCalendar() {
        SplittableRandom rnd = new SplittableRandom(mix(settings.seed(), -1L));
        List<long[]> raw = new ArrayList<>();
        for (long week = startMs + DAY + 9 * HOUR; week < endMs; week += 7 * DAY) {
            long t = week + rnd.nextLong(-3 * HOUR, 3 * HOUR);
            if (t < endMs) {
                raw.add(new long[] {t, catalog.randomCategory(rnd)});
            }
            if (rnd.nextDouble() < 0.35) {
                long extra = week + 3 * DAY + rnd.nextLong(6 * HOUR);
                if (extra < endMs) {
                    raw.add(new long[] {extra, catalog.randomCategory(rnd)});
                }
            }
        }
        List<Campaign> list = new ArrayList<>();
        for (long[] r : raw) {
            int n = list.size() + 1;
            list.add(new Campaign(n, String.format("cmp-%04d", n), r[0], (int) r[1]));
        }
        return List.copyOf(list);
    }

    /** Index of the first campaign sent at or after {@code t}, or {@code campaigns.size()}. */
    int firstCampaignFrom(long t) {
        for (int i = 0; i < campaigns.size(); i++) {
            if (campaigns.get(i).sendAt() >= t) {
                return i;
            }
        }
        return campaigns.size();
    }

    long spanMs() {
        return endMs - startMs;
    }

    /** The seed of one customer's random stream: the run seed mixed with the customer index. */
    long customerSeed(int index) {
        return mix(settings.seed(), index);
    }

    /** SplitMix64-style mixing of two longs into a well-spread seed. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
