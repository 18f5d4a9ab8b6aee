package io.personalize.job.report;

import io.personalize.core.segments.SegmentDefinition;
import io.personalize.core.segments.SegmentDefinitions;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.TableReader;
import io.personalize.tables.Tables;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * The comparison of two runs over the same history (see {@code WhatIfRunner}): decisions per flow
 * and outcome, from each run's {@code decisions_latest} (one row per decision, its final outcome);
 * the customers who would newly get, or no longer get, each flow, with the decisions' reasons; and
 * the members per day of the segments whose definition changed, from {@code segment_changes}.
 * {@link WhatIfReportFiles} writes it out.
 */
public record WhatIfReport(
        Map<String, Map<String, long[]>> countsByFlowAndOutcome,
        List<CustomerChange> customerChanges,
        Map<String, TreeMap<LocalDate, long[]>> segmentMembersPerDay,
        long events) {
    /** The outcome of a decision whose email would be handed to delivery. */
    public static final String SENT = "to_send";

    /** Index of the current run in the {@code long[2]} values. */
    public static final int CURRENT = 0;

    /** Index of the proposed run in the {@code long[2]} values. */
    public static final int PROPOSED = 1;

    /** Whether a customer newly gets a flow, or no longer gets it. */
    public enum Change {
        NEWLY,
        NO_LONGER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A customer whose emails of a flow differ between the runs, with what each run decided for
     * them in that flow (the first decision of the flow by trigger time; {@code none} when the run
     * made none).
     */
    public record CustomerChange(
            String flowId,
            Change change,
            String customerKey,
            String customerId,
            String currentOutcome,
            String currentReasons,
            String proposedOutcome,
            String proposedReasons) {}

    /** A decision as the comparison needs it. */
    record Decided(
            String customerKey,
            String customerId,
            String flowId,
            String outcome,
            List<String> reasons,
            OffsetDateTime triggeredAt) {}

    /** Reads both runs' tables; segments are compared when their definitions differ. */
    public static WhatIfReport read(
            CatalogSettings current,
            CatalogSettings proposed,
            SegmentDefinitions currentSegments,
            SegmentDefinitions proposedSegments,
            long events) {
        List<Decided> before = decisions(current);
        List<Decided> after = decisions(proposed);
        Map<String, TreeMap<LocalDate, long[]>> segments = new TreeMap<>();
        for (String id : changedSegments(currentSegments, proposedSegments)) {
            segments.put(id, new TreeMap<>());
        }
        membersPerDay(current, segments, CURRENT);
        membersPerDay(proposed, segments, PROPOSED);
        return new WhatIfReport(
                counts(before, after), customerChanges(before, after), segments, events);
    }

    /** Per flow: the customers with at least one {@code to_send} decision, by run. */
    public Map<String, Set<String>> customers(Change change) {
        Map<String, Set<String>> byFlow = new TreeMap<>();
        for (CustomerChange c : customerChanges) {
            if (c.change() == change) {
                byFlow.computeIfAbsent(c.flowId(), f -> new TreeSet<>()).add(c.customerKey());
            }
        }
        return byFlow;
    }

    /** The ids of the segments defined differently (or only on one side), sorted. */
    static Set<String> changedSegments(SegmentDefinitions current, SegmentDefinitions proposed) {
        Map<String, SegmentDefinition> before = byId(current);
        Map<String, SegmentDefinition> after = byId(proposed);
        Set<String> changed = new TreeSet<>();
        Set<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (String id : ids) {
            SegmentDefinition a = before.get(id);
            SegmentDefinition b = after.get(id);
            if (a == null || b == null || !Objects.equals(a.rule(), b.rule())) {
                changed.add(id);
            }
        }
        return changed;
    }

    private static Map<String, SegmentDefinition> byId(SegmentDefinitions definitions) {
        Map<String, SegmentDefinition> byId = new HashMap<>();
        for (SegmentDefinition d : definitions.segments()) {
            byId.put(d.id(), d);
        }
        return byId;
    }

    private static List<Decided> decisions(CatalogSettings run) {
        return run.withCatalog(
                catalog -> {
                    Table table =
                            catalog.loadTable(
                                    Tables.DECISIONS_LATEST.identifier(run.icebergNamespace()));
                    List<Decided> rows = new ArrayList<>();
                    for (Record r :
                            TableReader.readAll(
                                    table,
                                    "customer_key",
                                    "customer_id",
                                    "flow_id",
                                    "outcome",
                                    "reasons",
                                    "triggered_at")) {
                        @SuppressWarnings("unchecked")
                        List<String> reasons = (List<String>) r.getField("reasons");
                        rows.add(
                                new Decided(
                                        (String) r.getField("customer_key"),
                                        (String) r.getField("customer_id"),
                                        (String) r.getField("flow_id"),
                                        (String) r.getField("outcome"),
                                        reasons == null ? List.of() : List.copyOf(reasons),
                                        (OffsetDateTime) r.getField("triggered_at")));
                    }
                    rows.sort(Comparator.comparing(Decided::triggeredAt));
                    return rows;
                });
    }

    private static Map<String, Map<String, long[]>> counts(
            List<Decided> before, List<Decided> after) {
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        count(before, counts, CURRENT);
        count(after, counts, PROPOSED);
        return counts;
    }

    private static void count(List<Decided> rows, Map<String, Map<String, long[]>> counts, int at) {
        for (Decided d : rows) {
            counts.computeIfAbsent(d.flowId(), f -> new TreeMap<>())
                    .computeIfAbsent(d.outcome(), o -> new long[2])[at]++;
        }
    }

    private static List<CustomerChange> customerChanges(List<Decided> before, List<Decided> after) {
        Map<String, Decided> firstBefore = firstByFlowAndCustomer(before);
        Map<String, Decided> firstAfter = firstByFlowAndCustomer(after);
        Map<String, Decided> sentBefore = firstSentByFlowAndCustomer(before);
        Map<String, Decided> sentAfter = firstSentByFlowAndCustomer(after);
        List<CustomerChange> changes = new ArrayList<>();
        for (Map.Entry<String, Decided> e : sentAfter.entrySet()) {
            if (!sentBefore.containsKey(e.getKey())) {
                changes.add(
                        change(
                                Change.NEWLY,
                                e.getValue(),
                                firstBefore.get(e.getKey()),
                                e.getValue()));
            }
        }
        for (Map.Entry<String, Decided> e : sentBefore.entrySet()) {
            if (!sentAfter.containsKey(e.getKey())) {
                changes.add(
                        change(
                                Change.NO_LONGER,
                                e.getValue(),
                                e.getValue(),
                                firstAfter.get(e.getKey())));
            }
        }
        changes.sort(
                Comparator.comparing(CustomerChange::flowId)
                        .thenComparing(CustomerChange::change)
                        .thenComparing(CustomerChange::customerKey));
        return changes;
    }

    private static CustomerChange change(
            Change change, Decided who, Decided current, Decided proposed) {
        return new CustomerChange(
                who.flowId(),
                change,
                who.customerKey(),
                who.customerId(),
                current == null ? "none" : current.outcome(),
                current == null ? "" : String.join("; ", current.reasons()),
                proposed == null ? "none" : proposed.outcome(),
                proposed == null ? "" : String.join("; ", proposed.reasons()));
    }

    private static Map<String, Decided> firstByFlowAndCustomer(List<Decided> rows) {
        Map<String, Decided> first = new TreeMap<>();
        for (Decided d : rows) {
            first.putIfAbsent(d.flowId() + "\u0000" + d.customerKey(), d);
        }
        return first;
    }

    private static Map<String, Decided> firstSentByFlowAndCustomer(List<Decided> rows) {
        return firstByFlowAndCustomer(rows.stream().filter(d -> SENT.equals(d.outcome())).toList());
    }

    /**
     * Fills each segment's members at the end of each UTC day with a change, for one run: a
     * customer counts while their last change left them a {@code member}.
     */
    private static void membersPerDay(
            CatalogSettings run, Map<String, TreeMap<LocalDate, long[]>> segments, int at) {
        if (segments.isEmpty()) {
            return;
        }
        List<Record> changes =
                run.withCatalog(
                        catalog ->
                                TableReader.readAll(
                                        catalog.loadTable(
                                                Tables.SEGMENT_CHANGES.identifier(
                                                        run.icebergNamespace())),
                                        "segment_id",
                                        "customer_key",
                                        "membership",
                                        "event_time"));
        changes.sort(
                Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("event_time"))
                        .thenComparing(r -> (String) r.getField("customer_key")));
        Map<String, Set<String>> members = new HashMap<>();
        for (Record r : changes) {
            String segment = (String) r.getField("segment_id");
            TreeMap<LocalDate, long[]> days = segments.get(segment);
            if (days == null) {
                continue;
            }
            Set<String> in = members.computeIfAbsent(segment, s -> new java.util.HashSet<>());
            if ("member".equals(r.getField("membership"))) {
                in.add((String) r.getField("customer_key"));
            } else {
                in.remove((String) r.getField("customer_key"));
            }
            LocalDate day =
                    ((OffsetDateTime) r.getField("event_time"))
                            .withOffsetSameInstant(ZoneOffset.UTC)
                            .toLocalDate();
            days.computeIfAbsent(day, d -> new long[] {-1, -1})[at] = in.size();
        }
    }
}
