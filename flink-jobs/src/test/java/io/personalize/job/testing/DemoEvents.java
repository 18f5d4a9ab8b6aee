package io.personalize.job.testing;

import io.personalize.core.events.EnvelopeParser;
import io.personalize.core.events.Event;
import io.personalize.core.events.ParseResult;
import io.personalize.core.privacy.PersonalDataScrubber;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid, de-duplicated events of a generated input file, per customer key in file order, read
 * independently of the job: what the plain checks of the ITCases compute from.
 */
public record DemoEvents(Map<String, List<Event>> byCustomer, long lastEventTime) {

    public static DemoEvents read(Path file) throws IOException {
        EnvelopeParser parser =
                new EnvelopeParser(
                        new PersonalDataScrubber("independent-check-secret-123"),
                        64 * 1024,
                        Duration.ofDays(1));
        Map<String, List<Event>> byCustomer = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long last = Long.MIN_VALUE;
        for (String line : Files.readAllLines(file)) {
            ParseResult result = parser.parse(line, "check", System.currentTimeMillis());
            if (result.isValid()
                    && seen.add(result.event().customerKey() + "|" + result.event().eventId)) {
                Event event = result.event();
                byCustomer.computeIfAbsent(event.customerKey(), k -> new ArrayList<>()).add(event);
                last = Math.max(last, event.occurredAt);
            }
        }
        return new DemoEvents(byCustomer, last);
    }
}
