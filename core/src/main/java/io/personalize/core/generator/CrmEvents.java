package io.personalize.core.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * CRM-side events of one customer: the sign-up (or the import of an existing customer) with the
 * first {@code profile_updated} and {@code consent_changed}, later consent withdrawals and
 * re-grants, occasional profile edits, and loyalty-tier upgrades synced nightly after enough spend.
 */
final class CrmEvents {

    /** Spend (euro cents) after which the loyalty tier goes up one step. */
    static final long TIER_STEP_CENTS = 400_00;

    private final CustomerTimeline tl;
    private final CustomerTraits traits;
    private int phoneVariant;

    CrmEvents(CustomerTimeline tl) {
        this.tl = tl;
        this.traits = tl.traits;
    }

    /** Schedules the sign-up; everything else follows from it. */
    void begin() {
        long at = Math.min(traits.signupAt(), tl.world.endMs - 1);
        tl.schedule(at, () -> signup(at));
    }

    private void signup(long t) {
        long at = traits.anonymousBeforeSignup() ? tl.sessions.registration(t) : t;
        tl.signedUp = true;
        ObjectNode event = tl.event("profile_updated", at, tl.customer(null));
        ObjectNode profile = event.putObject("profile");
        profile.put("email", traits.email());
        profile.put("first_name", traits.firstName());
        profile.put("last_name", traits.lastName());
        profile.put("phone", traits.phone(0));
        if (traits.birthDate() != null) {
            profile.put("birth_date", traits.birthDate().toString());
        } else {
            profile.put("birth_year", traits.birthYear());
        }
        profile.put("loyalty_tier", CustomerTraits.TIERS.get(tl.tier));
        profile.put("country", traits.region().country());
        profile.put("timezone", traits.zone().getId());
        tl.emit(event, at);

        long consentAt = at + 1 + tl.rnd.nextLong(3 * World.SECOND);
        consent(consentAt, traits.consentAtSignup(), "signup_form");

        if (traits.consentWithdrawAt() != Long.MAX_VALUE) {
            tl.schedule(traits.consentWithdrawAt(), () -> withdraw(traits.consentWithdrawAt()));
        }
        if (traits.consentRegrantAt() != Long.MAX_VALUE) {
            tl.schedule(traits.consentRegrantAt(), () -> regrant(traits.consentRegrantAt()));
        }
        if (traits.profileChangeAt() != Long.MAX_VALUE) {
            tl.schedule(traits.profileChangeAt(), () -> profileChange(traits.profileChangeAt()));
        }
        tl.email.begin(consentAt);
        tl.sessions.begin(consentAt);
    }

    /** A {@code consent_changed} event for e-mail; also sets the customer's consent state. */
    void consent(long at, boolean granted, String source) {
        tl.consent = granted;
        ObjectNode event = tl.event("consent_changed", at, tl.customer(null));
        ObjectNode consent = event.putObject("consent");
        consent.put("channel", "email");
        consent.put("granted", granted);
        consent.put("source", source);
        tl.emit(event, at);
    }

    private void withdraw(long at) {
        if (tl.consent) {
            consent(at, false, "preference_center");
        }
    }

    private void regrant(long at) {
        if (!tl.consent) {
            consent(at, true, "preference_center");
        }
    }

    private void profileChange(long at) {
        ObjectNode event = tl.event("profile_updated", at, tl.customer(null));
        ObjectNode profile = event.putObject("profile");
        if (tl.rnd.nextDouble() < 0.7) {
            profile.put("phone", traits.phone(++phoneVariant));
        } else {
            String last =
                    CustomerTraits.LAST_NAMES.get(tl.rnd.nextInt(CustomerTraits.LAST_NAMES.size()));
            profile.put("last_name", last);
        }
        tl.emit(event, at);
    }

    /**
     * Called after each completed order: once total spend passes the next threshold, the tier goes
     * up and the nightly CRM sync (02:00 UTC) sends a {@code profile_updated} with the new tier.
     */
    void afterOrder(long orderAt) {
        int gained = tl.tier - traits.loyaltyTier();
        if (tl.tier >= CustomerTraits.TIERS.size() - 1
                || tl.spendCents < (gained + 1) * TIER_STEP_CENTS) {
            return;
        }
        tl.tier++;
        ZonedDateTime utc = Instant.ofEpochMilli(orderAt).atZone(ZoneOffset.UTC);
        long sync =
                utc.toLocalDate().plusDays(1).atTime(2, 0).toInstant(ZoneOffset.UTC).toEpochMilli()
                        + tl.rnd.nextLong(30 * World.MINUTE);
        ObjectNode event = tl.event("profile_updated", sync, tl.customer(null));
        ObjectNode profile = event.putObject("profile");
        profile.put("loyalty_tier", CustomerTraits.TIERS.get(tl.tier));
        profile.put("source", "crm_sync");
        tl.emit(event, sync);
    }
}
