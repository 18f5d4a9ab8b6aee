package io.personalize.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.types.Types;

/**
 * The tables of delivery and measurement: how each trigger ended, and what each decision achieved.
 * Listed in {@link Tables#all()} with the others.
 */
public final class DeliveryTables {
    private DeliveryTables() {}

    private static final Schema DELIVERIES_SCHEMA =
            new Schema(
                    required(
                            1,
                            "decision_id",
                            Types.StringType.get(),
                            "The decision, also the webhook-id the endpoint received"),
                    required(2, "customer_key", Types.StringType.get()),
                    optional(3, "customer_id", Types.StringType.get()),
                    required(4, "flow_id", Types.StringType.get()),
                    optional(5, "experiment_id", Types.StringType.get()),
                    optional(6, "variant", Types.StringType.get()),
                    optional(7, "template_id", Types.StringType.get()),
                    optional(8, "endpoint_id", Types.StringType.get()),
                    required(9, "status", Types.StringType.get(), "delivered or failed"),
                    required(
                            10,
                            "attempts",
                            Types.IntegerType.get(),
                            "Attempts made (since the last restore)"),
                    optional(
                            11,
                            "http_status",
                            Types.IntegerType.get(),
                            "Status of the last response; null when none came"),
                    optional(
                            12,
                            "error",
                            Types.StringType.get(),
                            "The last error of a failed delivery"),
                    required(13, "decided_at", Types.TimestampType.withZone(), "Event time"),
                    optional(14, "first_attempt_at", Types.TimestampType.withZone()),
                    required(
                            15,
                            "completed_at",
                            Types.TimestampType.withZone(),
                            "Processing time of the last response or failure"),
                    required(
                            16,
                            "latency_ms",
                            Types.LongType.get(),
                            "From the decision to the last response"));

    /** One row per decision sent: delivered (with attempts and status) or failed. */
    public static final TableDefinition DELIVERIES =
            new TableDefinition(
                    "deliveries",
                    DELIVERIES_SCHEMA,
                    PartitionSpec.builderFor(DELIVERIES_SCHEMA).month("decided_at").build(),
                    SortOrder.builderFor(DELIVERIES_SCHEMA)
                            .asc("flow_id")
                            .asc("decided_at")
                            .build(),
                    Tables.COMMON_PROPERTIES);

    private static final Schema CONVERSIONS_SCHEMA =
            new Schema(
                    required(
                            1,
                            "conversion_id",
                            Types.StringType.get(),
                            "Deterministic (decision, event)"),
                    required(2, "decision_id", Types.StringType.get()),
                    required(3, "customer_key", Types.StringType.get()),
                    optional(4, "customer_id", Types.StringType.get()),
                    optional(5, "flow_id", Types.StringType.get()),
                    optional(6, "experiment_id", Types.StringType.get()),
                    optional(7, "variant", Types.StringType.get()),
                    optional(8, "decision_outcome", Types.StringType.get(), "to_send or held_out"),
                    required(9, "kind", Types.StringType.get(), "purchase, open or click"),
                    required(
                            10,
                            "attribution",
                            Types.StringType.get(),
                            "last or first (purchases), decision_id (opens and clicks)"),
                    required(11, "event_id", Types.StringType.get()),
                    optional(12, "order_id", Types.StringType.get()),
                    optional(13, "revenue", Types.DoubleType.get(), "Order total of a purchase"),
                    optional(14, "currency", Types.StringType.get()),
                    optional(15, "decided_at", Types.TimestampType.withZone()),
                    required(
                            16,
                            "converted_at",
                            Types.TimestampType.withZone(),
                            "Event time of the purchase, open or click"),
                    required(17, "processed_at", Types.TimestampType.withZone()));

    /** Purchases attributed to decisions, and opens and clicks linked to them. */
    public static final TableDefinition CONVERSIONS =
            new TableDefinition(
                    "conversions",
                    CONVERSIONS_SCHEMA,
                    PartitionSpec.builderFor(CONVERSIONS_SCHEMA).month("converted_at").build(),
                    SortOrder.builderFor(CONVERSIONS_SCHEMA)
                            .asc("flow_id")
                            .asc("converted_at")
                            .build(),
                    Tables.COMMON_PROPERTIES);
}
