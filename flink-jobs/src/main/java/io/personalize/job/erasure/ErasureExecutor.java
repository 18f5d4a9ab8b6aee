package io.personalize.job.erasure;

import io.personalize.core.privacy.ErasureRequest;
import io.personalize.core.privacy.PersonalDataScrubber;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.CustomerErasure;
import io.personalize.tables.ErasureTable;
import io.personalize.tables.TableDefinition;
import io.personalize.tables.Tables;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes an erased key's rows from every table while the job runs, after the rows are committed:
 * one subtask, outside the hot chain.
 *
 * <ol>
 *   <li>A request that arrived before checkpoint {@code K}'s barrier names rows written in
 *       checkpoints up to {@code K} at most (the stages before it forgot the key when the request
 *       passed them, and drop its later events). The committers commit {@code K} when it completes;
 *       so at the completion of a later checkpoint the rows are in the tables, and the files that
 *       hold them are rewritten without them ({@link CustomerErasure#rewriteLive}, anonymous ids
 *       linked in {@code identity_links} and {@code events} included).
 *   <li>Once the job committed again to a table, the snapshots up to the rewrite expire and the old
 *       files are deleted ({@link CustomerErasure#expireThrough}): the committer still finds its
 *       last checkpoint in its own snapshots.
 *   <li>A last read checks that no row is left (else the rewrite runs again), and the audit row
 *       goes to {@code erasures}.
 * </ol>
 *
 * <p>A bounded run ends with its last checkpoint, whose commits cannot be waited for here: what is
 * unfinished at the end goes to the accumulator {@link Erasures#UNFINISHED}, and the command that
 * ran the job finishes it on the stopped tables ({@link Erasures#completeAfterRun}). Pending
 * erasures are operator state (with the ids in clear until they are done).
 */
public class ErasureExecutor extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<ErasureRequest, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ErasureExecutor.class);

    private final CatalogSettings catalog;
    private final String secret;

    private transient Map<String, Pending> pending;
    private transient ListState<String> pendingState;
    private transient Counter completed;
    private transient ListAccumulator<String> unfinished;
    private transient PersonalDataScrubber scrubber;

    public ErasureExecutor(CatalogSettings catalog, String secret) {
        this.catalog = catalog;
        this.secret = secret;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pending = new LinkedHashMap<>();
        pendingState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("erasures-pending", Types.STRING));
        for (String line : pendingState.get()) {
            Pending p = Pending.parse(line);
            pending.merge(p.erasureId, p, Pending::mergeWith);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        completed = getMetricGroup().addGroup("personalize").counter("erasures_completed");
        unfinished = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(Erasures.UNFINISHED, unfinished);
        scrubber = new PersonalDataScrubber(secret);
    }

    @Override
    public void processElement(StreamRecord<ErasureRequest> element) {
        Pending p = Pending.of(element.getValue());
        pending.merge(p.erasureId, p, Pending::mergeWith);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<String> lines = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.epoch < 0) {
                p.epoch =
                        context.getCheckpointId(); // its rows are in this checkpoint at the latest
            }
            lines.add(p.format());
        }
        pendingState.update(lines);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.epoch < 0 || p.epoch >= checkpointId) {
                continue; // its rows may not be committed yet
            }
            try {
                if (advance(p)) {
                    it.remove();
                    completed.inc();
                }
            } catch (RuntimeException e) {
                // the catalog may be unreachable for a while: the erasure waits for the next one
                LOG.warn("Erasure {} goes on after a later checkpoint", p.erasureId, e);
            }
        }
    }

    /** Moves one erasure on; returns whether it is done. */
    private boolean advance(Pending p) {
        return catalog.withCatalog(
                c -> {
                    CustomerErasure erasure = new CustomerErasure(c, catalog.icebergNamespace());
                    if (p.customerId != null && p.awaiting.isEmpty()) {
                        p.anonymousIds.addAll(erasure.linkedAnonymousIds(p.customerId));
                    }
                    CustomerErasure.Subject whom =
                            Erasures.subject(p.customerId, p.anonymousIds, scrubber);
                    if (!p.rewritten) {
                        for (TableDefinition table : Tables.all()) {
                            CustomerErasure.Rewrite r = erasure.rewriteLive(table, whom);
                            p.removed.merge(table.name(), r.removedRows(), Long::sum);
                            if (r.snapshotId() != null) {
                                p.awaiting.put(table.name(), r.snapshotId());
                            }
                        }
                        p.rewritten = true;
                    }
                    for (Iterator<Map.Entry<String, Long>> it = p.awaiting.entrySet().iterator();
                            it.hasNext(); ) {
                        Map.Entry<String, Long> e = it.next();
                        if (erasure.expireThrough(Tables.byName(e.getKey()), e.getValue())) {
                            it.remove();
                        }
                    }
                    if (!p.awaiting.isEmpty()) {
                        return false; // the job has not committed to every table since
                    }
                    for (TableDefinition table : Tables.all()) {
                        if (erasure.rowsOf(table, whom) > 0) {
                            p.rewritten = false; // a row came in late: again
                            return false;
                        }
                    }
                    if (!p.linkedOnly()) {
                        Erasures.Request request = p.request();
                        String subject = scrubber.hash(p.key());
                        ErasureTable.Audit audit =
                                Erasures.audit(
                                        request,
                                        subject,
                                        "event",
                                        p.anonymousIds,
                                        new LinkedHashMap<>(p.removed),
                                        scrubber);
                        erasure.record(audit);
                        LOG.info("Erasure {} done: recorded as {}", p.erasureId, audit.erasureId());
                    }
                    return true;
                });
    }

    @Override
    public void close() throws Exception {
        if (pending != null && unfinished != null) {
            for (Pending p : pending.values()) {
                unfinished.add(p.format());
            }
        }
        super.close();
    }

    /** One erasure under way: the customer's request and the anonymous keys erased with it. */
    public static final class Pending {
        String erasureId;
        String customerId;
        Set<String> anonymousIds = new TreeSet<>();
        long requestedAt;
        boolean known;
        boolean own;
        long epoch = -1;
        boolean rewritten;
        Map<String, Long> removed = new TreeMap<>();
        Map<String, Long> awaiting = new TreeMap<>();

        static Pending of(ErasureRequest r) {
            Pending p = new Pending();
            p.erasureId = r.erasureId;
            p.customerId = r.customerId;
            if (r.anonymousId != null) {
                p.anonymousIds.add(r.anonymousId);
            }
            p.requestedAt = r.requestedAt;
            p.known = r.known;
            p.own = !r.linked;
            return p;
        }

        /** Linked anonymous keys only: the customer's own request is done or elsewhere. */
        boolean linkedOnly() {
            return !own;
        }

        String key() {
            return customerId != null ? "c:" + customerId : "a:" + anonymousIds.iterator().next();
        }

        Erasures.Request request() {
            return new Erasures.Request(
                    erasureId,
                    customerId,
                    new TreeSet<>(anonymousIds),
                    Instant.ofEpochMilli(requestedAt),
                    known,
                    new TreeMap<>(removed));
        }

        /** Two parts of one erasure (a request and the markers of its linked keys). */
        Pending mergeWith(Pending other) {
            if (customerId == null) {
                customerId = other.customerId;
            }
            if (other.own) {
                requestedAt = other.requestedAt;
            }
            anonymousIds.addAll(other.anonymousIds);
            known |= other.known;
            own |= other.own;
            epoch = Math.max(epoch, other.epoch);
            other.removed.forEach((t, n) -> removed.merge(t, n, Long::sum));
            if (!other.anonymousIds.isEmpty() || other.epoch > epoch) {
                rewritten = false; // new keys: rewrite again
            }
            rewritten &= other.rewritten;
            awaiting.putAll(other.awaiting);
            return this;
        }

        String format() {
            return String.join(
                    "\t",
                    enc(erasureId),
                    customerId == null ? "" : enc(customerId),
                    String.join(",", anonymousIds.stream().map(Pending::enc).toList()),
                    Long.toString(requestedAt),
                    Boolean.toString(known),
                    Boolean.toString(own),
                    Long.toString(epoch),
                    Boolean.toString(rewritten),
                    pairs(removed),
                    pairs(awaiting));
        }

        static Pending parse(String line) {
            String[] f = line.split("\t", -1);
            Pending p = new Pending();
            p.erasureId = dec(f[0]);
            p.customerId = f[1].isEmpty() ? null : dec(f[1]);
            if (!f[2].isEmpty()) {
                for (String a : f[2].split(",")) {
                    p.anonymousIds.add(dec(a));
                }
            }
            p.requestedAt = Long.parseLong(f[3]);
            p.known = Boolean.parseBoolean(f[4]);
            p.own = Boolean.parseBoolean(f[5]);
            p.epoch = Long.parseLong(f[6]);
            p.rewritten = Boolean.parseBoolean(f[7]);
            p.removed = parsePairs(f[8]);
            p.awaiting = parsePairs(f[9]);
            return p;
        }

        private static String pairs(Map<String, Long> map) {
            List<String> out = new ArrayList<>();
            map.forEach((k, v) -> out.add(k + "=" + v));
            return String.join(",", out);
        }

        private static Map<String, Long> parsePairs(String text) {
            Map<String, Long> map = new TreeMap<>();
            if (!text.isEmpty()) {
                for (String pair : text.split(",")) {
                    int eq = pair.indexOf('=');
                    map.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
            }
            return map;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }

        private static String dec(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
    }
}
