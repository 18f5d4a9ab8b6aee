package io.personalize.job.erasure;

import io.personalize.core.events.Event;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CustomerErasure;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.Tables;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Erasures outside the stream: of a stopped warehouse ({@code bin/personalize tables erase}), those
 * a bounded run left to finish after its last commit ({@link #completeAfterRun}), and the
 * tombstones a run starts from ({@link #subjects}).
 */
public final class Erasures {
    private Erasures() {}

    /** The accumulator in which a run hands on the erasures it could not finish. */
    public static final String UNFINISHED = "erasures-unfinished";

    /** Whom to erase. */
    public record Request(
            String erasureId,
            String customerId,
            Set<String> anonymousIds,
            Instant requestedAt,
            boolean known,
            Map<String, Long> removedBefore) {}

    /**
     * The subjects of every erasure recorded in {@code erasures}, with those of the anonymous keys
     * erased with them: a run drops their events from the start.
     */
    public static Set<String> subjects(Catalog catalog, Namespace namespace) {
        TableIdentifier id = ErasureTable.ERASURES.identifier(namespace);
        Set<String> subjects = new TreeSet<>();
        if (!catalog.tableExists(id)) {
            return subjects;
        }
        try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(id)).build()) {
            for (Record row : rows) {
                subjects.add((String) row.getField("subject"));
                Object linked = row.getField("linked_subjects");
                if (linked instanceof List<?> list) {
                    list.forEach(s -> subjects.add((String) s));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return subjects;
    }

    /**
     * Erases a customer (or an anonymous id, with {@code customerId} null) from the tables of a
     * stopped warehouse, records the audit row and prints what it removed.
     */
    public static ErasureTable.Audit eraseStopped(
            CatalogSettings catalog,
            PersonalDataScrubber scrubber,
            Request request,
            String source,
            PrintStream out) {
        String key =
                request.customerId() != null
                        ? Event.CUSTOMER_KEY_PREFIX + request.customerId()
                        : Event.ANONYMOUS_KEY_PREFIX + request.anonymousIds().iterator().next();
        String subject = scrubber.hash(key);
        return catalog.withCatalog(
                c -> {
                    CustomerErasure erasure = new CustomerErasure(c, catalog.icebergNamespace());
                    Set<String> anonymous = new TreeSet<>(request.anonymousIds());
                    if (request.customerId() != null) {
                        anonymous.addAll(erasure.linkedAnonymousIds(request.customerId()));
                    }
                    CustomerErasure.Subject whom =
                            subject(request.customerId(), anonymous, scrubber);
                    Map<String, Long> removed = erasure.erase(whom, Tables.all());
                    request.removedBefore().forEach((t, n) -> removed.merge(t, n, Long::sum));
                    ErasureTable.Audit audit =
                            audit(request, subject, source, anonymous, removed, scrubber);
                    erasure.record(audit);
                    print(out, request, anonymous, removed, audit, catalog);
                    return audit;
                });
    }

    /** The keys and ids of a customer (or an anonymous id alone) in the tables. */
    static CustomerErasure.Subject subject(
            String customerId, Set<String> anonymousIds, PersonalDataScrubber scrubber) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        if (customerId != null) {
            keys.add(Event.CUSTOMER_KEY_PREFIX + customerId);
            ids.add(customerId);
            ids.add(scrubber.hash(customerId));
        }
        anonymousIds.forEach(a -> keys.add(Event.ANONYMOUS_KEY_PREFIX + a));
        return new CustomerErasure.Subject(keys, ids, anonymousIds);
    }

    static ErasureTable.Audit audit(
            Request request,
            String subject,
            String source,
            Set<String> anonymous,
            Map<String, Long> removed,
            PersonalDataScrubber scrubber) {
        boolean known =
                request.known()
                        || (request.customerId() != null && !anonymous.isEmpty())
                        || removed.values().stream().anyMatch(n -> n > 0);
        List<String> linkedSubjects = new ArrayList<>();
        for (String a : anonymous) {
            linkedSubjects.add(scrubber.hash(Event.ANONYMOUS_KEY_PREFIX + a));
        }
        return new ErasureTable.Audit(
                UUID.nameUUIDFromBytes(
                                (source + "\n" + request.erasureId())
                                        .getBytes(StandardCharsets.UTF_8))
                        .toString(),
                subject,
                source,
                request.requestedAt(),
                Instant.now(),
                known,
                request.customerId() == null ? 0 : anonymous.size(),
                removed,
                linkedSubjects);
    }

    private static void print(
            PrintStream out,
            Request request,
            Set<String> anonymous,
            Map<String, Long> removed,
            ErasureTable.Audit audit,
            CatalogSettings catalog) {
        long total = removed.values().stream().mapToLong(Long::longValue).sum();
        out.printf(
                "erased %s%s: %,d rows%n",
                request.customerId() != null
                        ? "customer " + request.customerId()
                        : "anonymous id " + anonymous.iterator().next(),
                request.customerId() == null || anonymous.isEmpty()
                        ? ""
                        : " and " + anonymous.size() + " linked anonymous id(s)",
                total);
        removed.forEach((table, rows) -> out.printf("  %-28s %,d rows%n", table, rows));
        out.printf(
                "snapshots before the erasure expired; recorded in %s.erasures as %s%s%n",
                catalog.icebergNamespace(),
                audit.erasureId(),
                audit.known() ? "" : " (no row of this customer was found)");
    }

    /**
     * Finishes the erasures a bounded run received after its last commit could be waited for
     * (accumulator {@link #UNFINISHED}): the tables are no longer written, so they are erased as by
     * {@code tables erase}. Returns how many.
     */
    public static int completeAfterRun(
            JobExecutionResult result, CatalogSettings catalog, String secret, PrintStream out) {
        return completeAfterRun(result.getAllAccumulatorResults(), catalog, secret, out);
    }

    /** {@link #completeAfterRun(JobExecutionResult, CatalogSettings, String, PrintStream)}. */
    public static int completeAfterRun(
            Map<String, Object> accumulators,
            CatalogSettings catalog,
            String secret,
            PrintStream out) {
        Object unfinished = accumulators.get(UNFINISHED);
        if (!(unfinished instanceof List<?> lines) || lines.isEmpty()) {
            return 0;
        }
        PersonalDataScrubber scrubber = new PersonalDataScrubber(secret);
        Map<String, ErasureExecutor.Pending> byId = new LinkedHashMap<>();
        for (Object line : lines) {
            ErasureExecutor.Pending p = ErasureExecutor.Pending.parse((String) line);
            byId.merge(p.erasureId, p, ErasureExecutor.Pending::mergeWith);
        }
        int n = 0;
        for (ErasureExecutor.Pending p : byId.values()) {
            if (p.linkedOnly()) {
                eraseLinkedOnly(catalog, scrubber, p);
                continue;
            }
            eraseStopped(catalog, scrubber, p.request(), "event", out);
            n++;
        }
        return n;
    }

    /** Anonymous keys erased with a customer whose own erasure is already recorded. */
    private static void eraseLinkedOnly(
            CatalogSettings catalog, PersonalDataScrubber scrubber, ErasureExecutor.Pending p) {
        catalog.withCatalog(
                c ->
                        new CustomerErasure(c, catalog.icebergNamespace())
                                .erase(subject(null, p.anonymousIds, scrubber), Tables.all()));
    }
}
