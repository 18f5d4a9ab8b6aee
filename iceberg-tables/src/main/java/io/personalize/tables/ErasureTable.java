package io.personalize.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * The audit of erasures: who was erased (a salted hash of the customer key, never the id), when,
 * from where, and how many rows each table lost. Not one of the job's tables ({@link
 * Tables#all()}): starting over ({@code --fresh --overwrite}) keeps it.
 */
public final class ErasureTable {
    private ErasureTable() {}

    private static final Schema SCHEMA =
            new Schema(
                    required(1, "erasure_id", Types.StringType.get()),
                    required(
                            2,
                            "subject",
                            Types.StringType.get(),
                            "HMAC-SHA256 of the customer key under the hashing secret"),
                    required(3, "source", Types.StringType.get(), "command or event"),
                    required(4, "requested_at", Types.TimestampType.withZone()),
                    required(5, "completed_at", Types.TimestampType.withZone()),
                    required(
                            6,
                            "known",
                            Types.BooleanType.get(),
                            "Whether any row or linked id of the customer was found"),
                    required(
                            7,
                            "linked_anonymous_ids",
                            Types.IntegerType.get(),
                            "Anonymous ids erased with the customer"),
                    required(
                            8,
                            "rows_removed",
                            Types.MapType.ofRequired(
                                    9, 10, Types.StringType.get(), Types.LongType.get()),
                            "Rows removed per table"),
                    optional(11, "snapshots_expired_before", Types.TimestampType.withZone()),
                    optional(
                            12,
                            "linked_subjects",
                            Types.ListType.ofRequired(13, Types.StringType.get()),
                            "HMAC-SHA256 of each anonymous key erased with the customer"));

    /** The {@code erasures} table. */
    public static final TableDefinition ERASURES =
            new TableDefinition(
                    "erasures",
                    SCHEMA,
                    PartitionSpec.unpartitioned(),
                    SortOrder.unsorted(),
                    Tables.COMMON_PROPERTIES);

    /** One erasure, as recorded. */
    public record Audit(
            String erasureId,
            String subject,
            String source,
            Instant requestedAt,
            Instant completedAt,
            boolean known,
            int linkedAnonymousIds,
            Map<String, Long> rowsRemoved,
            java.util.List<String> linkedSubjects) {
        public Audit {
            linkedSubjects = linkedSubjects == null ? java.util.List.of() : linkedSubjects;
        }

        public Audit(
                String erasureId,
                String subject,
                String source,
                Instant requestedAt,
                Instant completedAt,
                boolean known,
                int linkedAnonymousIds,
                Map<String, Long> rowsRemoved) {
            this(
                    erasureId,
                    subject,
                    source,
                    requestedAt,
                    completedAt,
                    known,
                    linkedAnonymousIds,
                    rowsRemoved,
                    java.util.List.of());
        }
    }

    static Record row(Audit audit) {
        Record row = GenericRecord.create(SCHEMA);
        row.setField("erasure_id", audit.erasureId());
        row.setField("subject", audit.subject());
        row.setField("source", audit.source());
        row.setField("requested_at", audit.requestedAt().atOffset(ZoneOffset.UTC));
        row.setField("completed_at", audit.completedAt().atOffset(ZoneOffset.UTC));
        row.setField("known", audit.known());
        row.setField("linked_anonymous_ids", audit.linkedAnonymousIds());
        row.setField("rows_removed", audit.rowsRemoved());
        row.setField("snapshots_expired_before", audit.completedAt().atOffset(ZoneOffset.UTC));
        row.setField("linked_subjects", audit.linkedSubjects());
        return row;
    }
}
