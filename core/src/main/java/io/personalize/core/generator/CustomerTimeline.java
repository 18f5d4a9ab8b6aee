package io.personalize.core.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The lazily generated life of one customer: a small discrete-event simulation.
 *
 * <p>Pending activities (next browsing session, next purchase intent, next campaign, a scheduled
 * refund, ...) sit in a task queue ordered by time. Running a task appends the events it causes to
 * an output buffer; every such event happens at or after the task's time. A buffered line is
 * therefore final, and may be handed out, once its key is not later than the next pending task. The
 * key of a line is its event time plus an optional network delay (at most five minutes), so lines
 * come out in key order and event times are at most five minutes out of order.
 *
 * <p>Only one customer's own random stream is used, so a timeline replays identically: {@link
 * DemoDataGenerator} runs it once to count lines and again to emit them. Memory is bounded by the
 * few pending tasks and the events of the customer's current session.
 */
final class CustomerTimeline {

    /** Share of valid events re-sent as an exact duplicate line a little later. */
    static final double DUPLICATE_SHARE = 0.003;

    /** Share of events that arrive late (up to {@link #MAX_LATENESS}). */
    static final double LATE_SHARE = 0.02;

    static final long MAX_LATENESS = 5 * World.MINUTE;

    /** Share of web events that carry an extra (unknown to the schema) {@code context} object. */
    static final double CONTEXT_SHARE = 0.04;

    /** Who an event is about: a known customer, an anonymous device, or both (identify). */
    record Who(String customerId, String anonymousId, String sessionId) {}

    /** One output line: a finished event object, or the raw text of a malformed record. */
    record Line(long key, long seq, Object payload) {
        String text() {
            return payload instanceof ObjectNode node ? Envelope.render(node) : (String) payload;
        }
    }

    private record Task(long at, long seq, Runnable action) {}

    private static final Comparator<Task> TASK_ORDER =
            Comparator.comparingLong(Task::at).thenComparingLong(Task::seq);
    private static final Comparator<Line> LINE_ORDER =
            Comparator.comparingLong(Line::key).thenComparingLong(Line::seq);

    final World world;
    final CustomerTraits traits;
    final SplittableRandom rnd;
    final WebSessions sessions;
    final EmailBehaviour email;
    final CrmEvents crm;
    final Orders orders;

    // Mutable customer state, changed by the behaviour classes as time goes on.
    boolean signedUp;
    boolean consent;
    boolean emailBlocked;
    long spendCents;
    int tier;
    int sessionCount;
    int orderCount;

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(TASK_ORDER);
    private final PriorityQueue<Line> buffer = new PriorityQueue<>(LINE_ORDER);
    private final long lineLimit;
    private long emitted;
    private long now = Long.MIN_VALUE;
    private long taskSeq;
    private long lineSeq;
    private long eventSeq;

    /** A timeline that hands out at most {@code lineLimit} lines. */
    CustomerTimeline(World world, int index, long lineLimit) {
        this.world = world;
        this.lineLimit = lineLimit;
        this.rnd = new SplittableRandom(world.customerSeed(index));
        this.traits = CustomerTraits.draw(index, world, rnd);
        this.tier = traits.loyaltyTier();
        this.sessions = new WebSessions(this);
        this.email = new EmailBehaviour(this);
        this.crm = new CrmEvents(this);
        this.orders = new Orders(this);
        crm.begin();
    }

    int index() {
        return traits.index();
    }

    boolean exhausted() {
        return emitted >= lineLimit || (tasks.isEmpty() && buffer.isEmpty());
    }

    /** The key of the next step: the next due line, or else the time of the next task. */
    long peekKey() {
        Line line = buffer.peek();
        Task task = tasks.peek();
        if (line != null && (task == null || line.key() <= task.at())) {
            return line.key();
        }
        return task != null ? task.at() : Long.MAX_VALUE;
    }

    /** Hands out the next due line, or runs the next task and returns {@code null}. */
    Line step() {
        Line line = buffer.peek();
        Task task = tasks.peek();
        if (line != null && (task == null || line.key() <= task.at())) {
            emitted++;
            return buffer.poll();
        }
        if (task != null) {
            tasks.poll();
            now = task.at();
            task.action().run();
        }
        return null;
    }

    /** Runs the whole timeline and counts its lines (without rendering them). */
    long countLines() {
        long n = 0;
        while (!exhausted()) {
            if (step() != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * Schedules an activity; activities at or after the end of the span never happen. An activity
     * is never scheduled before the one running now, which keeps the output in time order.
     */
    void schedule(long at, Runnable action) {
        if (at < world.endMs) {
            tasks.add(new Task(Math.max(at, now), taskSeq++, action));
        }
    }

    String nextEventId() {
        return "evt-" + traits.index() + "-" + (++eventSeq);
    }

    /** A new event object with the common envelope fields filled in. */
    ObjectNode event(String type, long at, Who who) {
        ObjectNode node = Envelope.MAPPER.createObjectNode();
        node.put("event_id", nextEventId());
        node.put("event_type", type);
        Envelope.putTime(node, at, traits.zone(), rnd);
        if (who.customerId() != null) {
            node.put("customer_id", who.customerId());
        }
        if (who.anonymousId() != null) {
            node.put("anonymous_id", who.anonymousId());
        }
        if (who.sessionId() != null) {
            node.put("session_id", who.sessionId());
            if (rnd.nextDouble() < CONTEXT_SHARE) {
                Envelope.putContext(node, traits, rnd);
            }
        }
        return node;
    }

    /**
     * Puts a finished event into the output (unless it falls outside the span), sometimes late,
     * sometimes followed by a duplicate or by a malformed record derived from it.
     */
    void emit(ObjectNode event, long at) {
        if (at < world.startMs || at >= world.endMs) {
            return;
        }
        long key = at;
        if (rnd.nextDouble() < LATE_SHARE) {
            key += 5 * World.SECOND + rnd.nextLong(MAX_LATENESS - 5 * World.SECOND);
        }
        buffer.add(new Line(key, lineSeq++, event));
        if (rnd.nextDouble() < DUPLICATE_SHARE) {
            long dupKey = at + World.SECOND + rnd.nextLong(4 * World.MINUTE);
            buffer.add(new Line(dupKey, lineSeq++, event));
        }
        if (rnd.nextDouble() < world.malformedOdds) {
            buffer.add(new Line(key, lineSeq++, MalformedRecords.corrupt(event, at, this)));
        }
    }

    Who customer(String sessionId) {
        return new Who(traits.customerId(), null, sessionId);
    }

    /** The anonymous id of one of the customer's devices ({@code anon-<n>}). */
    String anonymousId() {
        return "anon-" + (traits.index() * 10L + rnd.nextInt(traits.devices()));
    }

    /** {@code factor} once the customer has lapsed, else 1. */
    double churnFactor(long t, double factor) {
        return traits.churnedAt(t) ? factor : 1.0;
    }

    /**
     * The next arrival of a Poisson process with {@code perMonth} events per month (times the run
     * intensity), slowed by {@code churnedFactor} after the churn point, moved to local daytime.
     */
    long nextArrival(long from, double perMonth, double churnedFactor) {
        double perMs = perMonth * world.intensity / World.MONTH;
        long t = from;
        double gap = CustomerTraits.expo(rnd, 1.0 / (perMs * churnFactor(t, churnedFactor)));
        long churnAt = traits.churnAt();
        if (churnAt < world.endMs && t < churnAt && t + gap >= churnAt) {
            t = churnAt;
            gap = CustomerTraits.expo(rnd, 1.0 / (perMs * churnedFactor));
        }
        double next = t + Math.max(World.MINUTE, gap);
        return next >= world.endMs ? Long.MAX_VALUE : daytime((long) next);
    }

    /** Moves a night-time instant (before 07:00 local) to a random time later that day, mostly. */
    long daytime(long t) {
        if (t >= world.endMs || t < 0) {
            return t;
        }
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(traits.zone());
        if (local.getHour() >= 7 || rnd.nextDouble() < 0.1) {
            return t;
        }
        ZonedDateTime morning = local.withHour(7).withMinute(0).withSecond(0).withNano(0);
        return morning.toInstant().toEpochMilli() + rnd.nextLong(14 * World.HOUR);
    }
}
