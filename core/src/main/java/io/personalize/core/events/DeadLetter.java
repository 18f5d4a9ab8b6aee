package io.personalize.core.events;

import java.util.Objects;

/**
 * A record the job could not use, with the reason. Nothing is dropped silently: every refused
 * record becomes one of these and lands in the {@code dead_letters} table.
 *
 * <p>A Flink POJO.
 */
public class DeadLetter {
    /** Stage name of records refused by parsing and validation. */
    public static final String STAGE_INTAKE = "intake";

    /** Deterministic id: the same record from the same source gets the same id. */
    public String deadLetterId;

    /** The stage that refused the record: {@code intake} for parsing and validation. */
    public String stage = STAGE_INTAKE;

    /** A {@link DeadLetterReason#code()} or, for later stages, their own stable code. */
    public String reason;

    /** A human-readable explanation (never contains personal data). */
    public String message;

    public String source;

    /** The raw record, with personal fields hashed, dropped or masked. */
    public String rawPayload;

    public long ingestedAt;

    /** The event's fields when they could be read, else {@code null}. */
    public String eventId;

    public String eventType;
    public Long occurredAt;
    public String customerId;

    public DeadLetter() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeadLetter other)) {
            return false;
        }
        return ingestedAt == other.ingestedAt
                && Objects.equals(deadLetterId, other.deadLetterId)
                && Objects.equals(stage, other.stage)
                && Objects.equals(reason, other.reason)
                && Objects.equals(message, other.message)
                && Objects.equals(source, other.source)
                && Objects.equals(rawPayload, other.rawPayload)
                && Objects.equals(eventId, other.eventId)
                && Objects.equals(eventType, other.eventType)
                && Objects.equals(occurredAt, other.occurredAt)
                && Objects.equals(customerId, other.customerId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deadLetterId, reason, source, ingestedAt);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + message + " (" + source + ")}";
    }
}
