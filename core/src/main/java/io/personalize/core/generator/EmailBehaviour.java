package io.personalize.core.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How one customer reacts to the e-mail campaign calendar: a campaign reaches customers with
 * consent (and no hard bounce or complaint); each delivered e-mail may be opened according to the
 * customer's open probability (higher for a preferred theme, much lower after churn), clicked
 * according to the click-given-open probability, and a click often starts a web session soon after.
 * Rarely an e-mail bounces, draws a spam complaint or an unsubscribe.
 */
final class EmailBehaviour {

    static final double BOUNCE = 0.004;
    static final double HARD_BOUNCE_SHARE = 0.4;
    static final double COMPLAINT = 0.0008;
    static final double UNSUBSCRIBE_PER_OPEN = 0.004;
    static final double SESSION_AFTER_CLICK = 0.6;

    private final CustomerTimeline tl;
    private final CustomerTraits traits;
    private int next;

    EmailBehaviour(CustomerTimeline tl) {
        this.tl = tl;
        this.traits = tl.traits;
    }

    /** Starts following the calendar with the first campaign sent after {@code from}. */
    void begin(long from) {
        next = tl.world.firstCampaignFrom(from);
        scheduleNext();
    }

    private void scheduleNext() {
        if (next < tl.world.campaigns.size()) {
            World.Campaign c = tl.world.campaigns.get(next++);
            long at = c.sendAt() + tl.rnd.nextLong(90 * World.MINUTE);
            tl.schedule(
                    at,
                    () -> {
                        send(c, at);
                        scheduleNext();
                    });
        }
    }

    /** The campaign reaches this customer's inbox at {@code at} (the batch takes a while). */
    private void send(World.Campaign c, long at) {
        if (!tl.consent || tl.emailBlocked) {
            return;
        }
        double reach = Math.min(1.0, 0.8 * tl.world.intensity);
        if (tl.rnd.nextDouble() >= reach) {
            return;
        }
        if (tl.rnd.nextDouble() < BOUNCE) {
            ObjectNode bounced = email("email_bounced", at, c, false);
            boolean hard = tl.rnd.nextDouble() < HARD_BOUNCE_SHARE;
            ((ObjectNode) bounced.get("email")).put("bounce_type", hard ? "hard" : "soft");
            tl.emailBlocked |= hard;
            tl.emit(bounced, at);
            return;
        }
        tl.emit(email("email_delivered", at, c, false), at);

        if (tl.rnd.nextDouble() < COMPLAINT) {
            long complainedAt = at + World.MINUTE + tl.rnd.nextLong(2 * World.DAY);
            tl.schedule(
                    complainedAt,
                    () -> {
                        tl.emit(email("email_complained", complainedAt, c, false), complainedAt);
                        tl.emailBlocked = true;
                    });
            return;
        }
        boolean themed = traits.prefers(c.themeCategory());
        double openP = traits.openProbability() * (themed ? 1.3 : 0.85) * tl.churnFactor(at, 0.15);
        if (tl.rnd.nextDouble() >= Math.min(0.95, openP)) {
            return;
        }
        double delay =
                StrictMath.exp(StrictMath.log(2.0 * World.HOUR) + 1.2 * Catalog.gaussian(tl.rnd));
        long openAt = tl.daytime(at + (long) Math.min(5.0 * World.DAY, delay));
        tl.emit(email("email_opened", openAt, c, false), openAt);

        double unsubscribe = UNSUBSCRIBE_PER_OPEN * (traits.churnedAt(openAt) ? 5 : 1);
        if (tl.rnd.nextDouble() < unsubscribe) {
            long unsubAt = openAt + 10 * World.SECOND + tl.rnd.nextLong(5 * World.MINUTE);
            tl.schedule(
                    unsubAt,
                    () -> {
                        tl.emit(email("email_unsubscribed", unsubAt, c, false), unsubAt);
                        if (tl.consent) {
                            tl.crm.consent(unsubAt + 2 * World.SECOND, false, "unsubscribe_link");
                        }
                    });
            return;
        }
        double clickP = traits.clickGivenOpen() * (themed ? 1.4 : 0.8);
        if (tl.rnd.nextDouble() >= Math.min(0.9, clickP)) {
            return;
        }
        long clickAt = openAt + 3 * World.SECOND + tl.rnd.nextLong(3 * World.MINUTE);
        tl.emit(email("email_clicked", clickAt, c, true), clickAt);
        if (tl.rnd.nextDouble() < SESSION_AFTER_CLICK) {
            long sessionAt = clickAt + 2 * World.SECOND + tl.rnd.nextLong(45 * World.SECOND);
            tl.schedule(sessionAt, () -> tl.sessions.fromEmail(sessionAt, c));
        }
    }

    private ObjectNode email(String type, long at, World.Campaign c, boolean withLink) {
        ObjectNode event = tl.event(type, at, tl.customer(null));
        ObjectNode email = event.putObject("email");
        email.put("campaign_id", c.campaignId());
        email.put("message_id", "msg-" + c.number() + "-" + traits.index());
        email.put("decision_id", "dec-" + c.number() + "-v" + (1 + traits.index() % 2));
        if (withLink) {
            email.put("link_url", linkUrl(c));
        }
        return event;
    }

    /** The landing page of a campaign's link. */
    String linkUrl(World.Campaign c) {
        return "https://shop.example.com/c/"
                + tl.world.catalog.category(c.themeCategory()).code()
                + "?utm_source=email&utm_campaign="
                + c.campaignId();
    }
}
