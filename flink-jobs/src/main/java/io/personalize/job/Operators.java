package io.personalize.job;

/**
 * Stable {@code uid()}s and readable {@code name()}s of every operator. A uid ties an operator to
 * its state in savepoints: never change one, add new ones. Iceberg sinks take a uid suffix of their
 * own, kept distinct from these.
 */
public final class Operators {
    private Operators() {}

    public static final String SOURCE_UID = "source-";
    public static final String PARSE_UID = "parse-";
    public static final String PARSE_NAME = "Parse and validate: ";
    public static final String WATERMARKS_UID = "event-time";
    public static final String WATERMARKS_NAME = "Event time and watermarks";
    public static final String DEDUP_UID = "deduplicate";
    public static final String DEDUP_NAME = "De-duplicate by event_id";
    public static final String ERASURES_UID = "erasures";
    public static final String ERASURES_NAME = "Erase from the tables";
    public static final String EVENTS_TO_ROWS_UID = "events-to-rows";
    public static final String EVENTS_TO_ROWS_NAME = "Events to table rows";
    public static final String DEAD_LETTERS_TO_ROWS_UID = "dead-letters-to-rows";
    public static final String DEAD_LETTERS_TO_ROWS_NAME = "Dead letters to table rows";
    public static final String EVENTS_SINK_SUFFIX = "iceberg-events";
    public static final String DEAD_LETTERS_SINK_SUFFIX = "iceberg-dead-letters";
    public static final String GATE_UID = "event-time-gate";
    public static final String GATE_NAME = "Too old and end of input";
    public static final String GUEST_ROWS_UID = "guest-rows";
    public static final String GUEST_ROWS_NAME = "Skip guest rows";
    public static final String FEATURES_UID = "features";
    public static final String FEATURES_NAME = "Customer features and segments";
    public static final String SEGMENT_CHANGES_TO_ROWS_UID = "segment-changes-to-rows";
    public static final String SEGMENT_CHANGES_TO_ROWS_NAME = "Segment changes to table rows";
    public static final String SEGMENT_CHANGES_SINK_SUFFIX = "iceberg-segment-changes";
    public static final String FEATURES_COALESCE_UID = "features-coalesce";
    public static final String FEATURES_COALESCE_NAME = "Latest features per customer";
    public static final String HISTORY_COALESCE_UID = "features-history-coalesce";
    public static final String HISTORY_COALESCE_NAME = "Feature history per event-time bucket";
    public static final String FEATURES_TO_ROWS_UID = "features-to-rows";
    public static final String HISTORY_TO_ROWS_UID = "features-history-to-rows";
    public static final String FEATURES_SINK_SUFFIX = "iceberg-customer-features";
    public static final String HISTORY_SINK_SUFFIX = "iceberg-customer-features-history";
    public static final String CART_ABANDONED_UID = "cep-cart-abandoned";
    public static final String CART_ABANDONED_NAME = "CEP: cart abandoned";
    public static final String CART_REPEATS_UID = "cart-abandonment-repeats";
    public static final String CART_REPEATS_NAME = "Repeat abandonments of a cart episode";
    public static final String CART_REMINDER_UID = "cep-cart-reminder";
    public static final String CART_REMINDER_NAME = "CEP: cart reminder, recovered, emptied";
    public static final String IDENTITY_UID = "identity";
    public static final String IDENTITY_NAME = "Identity: visitors to customers";
    public static final String IDENTITY_LINKS_TO_ROWS_UID = "identity-links-to-rows";
    public static final String IDENTITY_LINKS_SINK_SUFFIX = "iceberg-identity-links";
    public static final String ORIGINAL_EVENTS_UID = "original-events";
    public static final String BROWSE_UID = "browse-abandonment";
    public static final String BROWSE_NAME = "Browse abandonment";

    /**
     * The recommender when it ran as one subtask (operator state, max parallelism 1), until the
     * model was partitioned by product: not used, and not to be used again.
     */
    public static final String RECOMMEND_UID = "recommendations";

    public static final String RECOMMEND_SIGNALS_UID = "recommend-signals";
    public static final String RECOMMEND_SIGNALS_NAME = "Recommendations: interactions to signals";
    public static final String RECOMMEND_OWN_SIGNALS_UID = "recommend-own-signals";
    public static final String RECOMMEND_OWN_SIGNALS_NAME =
            "Recommendations: interactions to popularity signals";
    public static final String RECOMMEND_REQUESTS_UID = "recommend-requests";
    public static final String RECOMMEND_REQUESTS_NAME =
            "Recommendations: a request per cart product and view";
    public static final String RECOMMEND_ROWS_UID = "recommend-rows";
    public static final String RECOMMEND_ROWS_NAME =
            "Recommendations: co-occurrence rows (by product)";
    public static final String RECOMMEND_CANDIDATES_UID = "recommend-candidates";
    public static final String RECOMMEND_CANDIDATES_NAME =
            "Recommendations: candidates (by customer)";
    public static final String RECOMMEND_FACTS_UID = "recommend-facts";
    public static final String RECOMMEND_FACTS_NAME =
            "Recommendations: popularity and categories (by product)";
    public static final String RECOMMEND_MERGE_UID = "recommend-merge";
    public static final String RECOMMEND_NAME = "Recommendations (co-occurrence, trending)";
    public static final String CART_ABANDONMENTS_TO_ROWS_UID = "cart-abandonments-to-rows";
    public static final String CART_ABANDONMENTS_SINK_SUFFIX = "iceberg-cart-abandonments";
    public static final String BROWSE_TO_ROWS_UID = "browse-abandonments-to-rows";
    public static final String BROWSE_SINK_SUFFIX = "iceberg-browse-abandonments";
    public static final String SCORING_UID = "scoring";
    public static final String SCORING_NAME = "Scoring (ONNX, micro-batched)";
    public static final String SCORES_COALESCE_UID = "scores-coalesce";
    public static final String SCORES_COALESCE_NAME =
            "Scores per customer, model and event-time bucket";
    public static final String SCORES_TO_ROWS_UID = "scores-to-rows";
    public static final String SCORES_SINK_SUFFIX = "iceberg-scores";
    public static final String DECISION_INPUTS_UID = "decision-inputs-";
    public static final String MOMENT_DELTAS_UID = "moment-deltas";
    public static final String MOMENT_DELTAS_NAME = "What changed since the previous moment";
    public static final String DECISIONS_UID = "decisions";
    public static final String DECISIONS_NAME = "Decisions (flows, consent, caps, quiet hours)";
    public static final String FLOWS_POLLER_UID = "flow-definitions-poller";
    public static final String DECISIONS_TO_ROWS_UID = "decisions-to-rows";
    public static final String DECISIONS_SINK_SUFFIX = "iceberg-decisions";
    public static final String DECISIONS_LATEST_SINK_SUFFIX = "iceberg-decisions-latest";
    public static final String DELIVERY_FILTER_UID = "delivery-to-send";
    public static final String DELIVERY_FILTER_NAME = "Decisions to send";
    public static final String DELIVERY_UID = "delivery";
    public static final String DELIVERY_NAME = "Deliver triggers (async HTTP, signed, retried)";
    public static final String DELIVERY_OUTCOMES_UID = "delivery-outcomes";
    public static final String DELIVERY_OUTCOMES_NAME = "Delivery outcomes";
    public static final String DELIVERIES_TO_ROWS_UID = "deliveries-to-rows";
    public static final String DELIVERIES_SINK_SUFFIX = "iceberg-deliveries";
    public static final String CONVERSIONS_UID = "conversions";
    public static final String CONVERSIONS_NAME = "Conversions (attribution to decisions)";
    public static final String CONVERSIONS_EVENTS_UID = "conversion-events";
    public static final String CONVERSIONS_SLIM_UID = "conversion-events-slim";
    public static final String CONVERSIONS_TO_ROWS_UID = "conversions-to-rows";
    public static final String CONVERSIONS_SINK_SUFFIX = "iceberg-conversions";
    public static final String KAFKA_DECISIONS_SINK_UID = "kafka-decisions";
    public static final String KAFKA_DECISIONS_SINK_NAME = "Decisions to Kafka";
}
