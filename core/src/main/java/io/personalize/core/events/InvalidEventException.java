package io.personalize.core.events;

/** Thrown inside the parsing code only, caught by the parser and turned into a dead letter. */
public final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public InvalidEventException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
