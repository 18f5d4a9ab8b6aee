package io.personalize.core.generator;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The latent traits of one simulated customer, drawn once from the customer's own random stream.
 * Everything the customer does later follows from these values (plus chance), which is what makes
 * the data learnable: heavy buyers keep buying, engaged readers keep opening, churners fade out.
 *
 * <p>Rates are per 30-day month before the run's intensity is applied. Times are epoch millis;
 * {@link Long#MAX_VALUE} means "never".
 */
record CustomerTraits(
        int index,
        String customerId,
        double purchasesPerMonth,
        double browseSessionsPerMonth,
        double basketSize,
        double priceLevel,
        double openProbability,
        double clickGivenOpen,
        int[] preferredCategories,
        long churnAt,
        Region region,
        int devices,
        int loyaltyTier,
        int birthYear,
        LocalDate birthDate,
        String firstName,
        String lastName,
        long signupAt,
        boolean anonymousBeforeSignup,
        boolean consentAtSignup,
        long consentWithdrawAt,
        long consentRegrantAt,
        long profileChangeAt) {

    /** A time zone with the country and locale that go with it. */
    record Region(
            ZoneId zone,
            String country,
            String locale,
            String phonePrefix,
            int phoneDigits,
            double weight) {}

    static final List<Region> REGIONS =
            List.of(
                    new Region(ZoneId.of("Europe/Berlin"), "DE", "de-DE", "+49 30 555 ", 4, 0.35),
                    new Region(ZoneId.of("Europe/London"), "GB", "en-GB", "+44 20 7946 0", 3, 0.2),
                    new Region(
                            ZoneId.of("America/New_York"), "US", "en-US", "+1 212 555 01", 2, 0.2),
                    new Region(
                            ZoneId.of("America/Los_Angeles"),
                            "US",
                            "en-US",
                            "+1 310 555 01",
                            2,
                            0.1),
                    new Region(ZoneId.of("Asia/Tokyo"), "JP", "ja-JP", "+81 3 5555 ", 4, 0.15));

    static final List<String> TIERS = List.of("bronze", "silver", "gold", "platinum");

    /** Invented, common given names and surnames; combined at random, they name nobody. */
    static final List<String> FIRST_NAMES =
            List.of(
                    "Alex", "Sam", "Robin", "Kim", "Jordan", "Maria", "Lena", "Jonas", "Emma",
                    "Noah", "Mia", "Lukas", "Yuki", "Hana", "Olivia", "Liam", "Sofia", "Ben");

    static final List<String> LAST_NAMES =
            List.of(
                    "Miller", "Schmidt", "Tanaka", "Smith", "Brown", "Weber", "Fischer", "Sato",
                    "Taylor", "Wilson", "Becker", "Suzuki", "Evans", "Walker", "Wagner", "Clark");

    /** Draws the traits of customer {@code index}; consumes the first values of {@code rnd}. */
    static CustomerTraits draw(int index, World world, SplittableRandom rnd) {
        long start = world.startMs;
        long span = world.spanMs();
        Catalog catalog = world.catalog;

        double purchases = clamp(0.5 * StrictMath.exp(0.9 * Catalog.gaussian(rnd)), 0.03, 8.0);
        double browse =
                clamp(
                        (0.8 + 1.2 * purchases) * StrictMath.exp(0.4 * Catalog.gaussian(rnd)),
                        0.2,
                        25);
        double basket = 1.0 + expo(rnd, 0.6);
        double priceLevel = rnd.nextDouble();
        double openP =
                clamp(
                        0.03
                                + 0.6 * StrictMath.pow(rnd.nextDouble(), 1.5)
                                + 0.04 * StrictMath.log(purchases / 0.5),
                        0.01,
                        0.9);
        double clickP = clamp(0.05 + 0.3 * rnd.nextDouble() * rnd.nextDouble(), 0.02, 0.5);

        int nPreferred = 1 + rnd.nextInt(3);
        int[] preferred = new int[nPreferred];
        int filled = 0;
        while (filled < nPreferred) {
            int c = catalog.randomCategory(rnd);
            boolean seen = false;
            for (int i = 0; i < filled; i++) {
                seen |= preferred[i] == c;
            }
            if (!seen) {
                preferred[filled++] = c;
            }
        }

        long churnAt =
                rnd.nextDouble() < 0.3
                        ? start + (long) (span * (0.15 + 0.85 * rnd.nextDouble()))
                        : Long.MAX_VALUE;

        Region region = pickRegion(rnd);
        int devices = 1 + rnd.nextInt(3);
        double tierScore = StrictMath.log(purchases) + 0.5 * Catalog.gaussian(rnd);
        int tier = tierScore < -1.2 ? 0 : tierScore < -0.2 ? 1 : tierScore < 0.7 ? 2 : 3;
        int birthYear = 1950 + (int) Math.round(28 * (rnd.nextDouble() + rnd.nextDouble()));
        LocalDate birthDate =
                rnd.nextDouble() < 0.6
                        ? LocalDate.of(birthYear, 1, 1).plusDays(rnd.nextInt(365))
                        : null;
        String first = FIRST_NAMES.get(rnd.nextInt(FIRST_NAMES.size()));
        String last = LAST_NAMES.get(rnd.nextInt(LAST_NAMES.size()));

        boolean existing = rnd.nextDouble() < 0.75;
        long signupAt =
                existing
                        ? start + (long) (Math.min(36 * World.HOUR, span / 4) * rnd.nextDouble())
                        : start + (long) (span * (0.02 + 0.45 * rnd.nextDouble()));
        boolean anonymousFirst = rnd.nextDouble() < (existing ? 0.05 : 0.8);

        boolean consent = rnd.nextDouble() < 0.9;
        long withdraw = Long.MAX_VALUE;
        long regrant = Long.MAX_VALUE;
        if (consent && rnd.nextDouble() < 0.06) {
            withdraw = signupAt + 7 * World.DAY + (long) (span * rnd.nextDouble());
            if (rnd.nextDouble() < 0.3) {
                regrant = withdraw + 3 * World.DAY + rnd.nextLong(37 * World.DAY);
            }
        } else if (!consent && rnd.nextDouble() < 0.25) {
            regrant = signupAt + 3 * World.DAY + (long) (span * rnd.nextDouble());
        }
        long profileChange =
                rnd.nextDouble() < 0.3
                        ? signupAt + World.DAY + (long) (span * rnd.nextDouble())
                        : Long.MAX_VALUE;

        return new CustomerTraits(
                index,
                "cust-" + index,
                purchases,
                browse,
                basket,
                priceLevel,
                openP,
                clickP,
                preferred,
                churnAt,
                region,
                devices,
                tier,
                birthYear,
                birthDate,
                first,
                last,
                signupAt,
                anonymousFirst,
                consent,
                withdraw,
                regrant,
                profileChange);
    }

    ZoneId zone() {
        return region.zone();
    }

    boolean prefers(int category) {
        for (int c : preferredCategories) {
            if (c == category) {
                return true;
            }
        }
        return false;
    }

    boolean churnedAt(long t) {
        return t >= churnAt;
    }

    /** A phone number from ranges reserved for fiction or tests; {@code variant} changes it. */
    String phone(int variant) {
        int digits = region.phoneDigits();
        int modulo = (int) StrictMath.pow(10, digits);
        long n = Math.floorMod(index * 7919L + variant * 104729L, modulo);
        return region.phonePrefix() + String.format("%0" + digits + "d", n);
    }

    String email() {
        return "customer" + index + "@example.com";
    }

    private static Region pickRegion(SplittableRandom rnd) {
        double u = rnd.nextDouble();
        for (Region r : REGIONS) {
            u -= r.weight();
            if (u < 0) {
                return r;
            }
        }
        return REGIONS.get(0);
    }

    static double expo(SplittableRandom rnd, double mean) {
        return -mean * StrictMath.log(1.0 - rnd.nextDouble());
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
