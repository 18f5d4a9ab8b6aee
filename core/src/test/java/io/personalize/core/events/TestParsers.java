package io.personalize.core.events;

import io.personalize.core.privacy.PersonalDataScrubber;
import java.time.Duration;
import java.time.Instant;

/** Shared fixtures for parser tests. */
public final class TestParsers {
    public static final String SECRET = "test-secret-0123456789abcdef";
    public static final long NOW = Instant.parse("2025-06-01T12:00:00Z").toEpochMilli();

    private TestParsers() {}

    public static PersonalDataScrubber scrubber() {
        return new PersonalDataScrubber(SECRET);
    }

    public static EnvelopeParser envelopeParser() {
        return new EnvelopeParser(scrubber(), EnvelopeParser.DEFAULT_MAX_BYTES, Duration.ofDays(1));
    }
}
