package io.personalize.core.events;

/**
 * What a {@link RecordParser} made of one raw record: a valid event, a dead letter, or nothing (a
 * CSV header line).
 */
public final class ParseResult {
    private static final ParseResult SKIPPED = new ParseResult(null, null);

    private final Event event;
    private final DeadLetter deadLetter;

    private ParseResult(Event event, DeadLetter deadLetter) {
        this.event = event;
        this.deadLetter = deadLetter;
    }

    public static ParseResult valid(Event event) {
        return new ParseResult(event, null);
    }

    public static ParseResult invalid(DeadLetter deadLetter) {
        return new ParseResult(null, deadLetter);
    }

    /** A record that carries no event and is no error, such as a header line. */
    public static ParseResult skipped() {
        return SKIPPED;
    }

    public boolean isValid() {
        return event != null;
    }

    public boolean isInvalid() {
        return deadLetter != null;
    }

    public Event event() {
        return event;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}
