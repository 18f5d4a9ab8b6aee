package io.personalize.job.config;

import io.personalize.core.decisions.PolicySettings;
import io.personalize.core.flows.FlowCompiler;
import io.personalize.core.flows.FlowDefinitions;
import io.personalize.core.flows.FlowValidationException;
import io.personalize.core.segments.SegmentDefinitions;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

/** The decision stage's flows and send policy, checked at start. */
public record DecisionSettings(
        FlowDefinitions flows,
        String flowsPath,
        boolean watchFlows,
        Duration flowsPollInterval,
        PolicySettings policy,
        Duration triggerWait,
        io.personalize.core.features.declared.DeclaredFeatures declared,
        java.util.Set<String> modelNames)
        implements Serializable {

    static DecisionSettings from(
            Configuration conf,
            SegmentDefinitions segments,
            io.personalize.core.features.declared.DeclaredFeatures declared,
            java.util.Set<String> modelNames) {
        String path = conf.get(PersonalizeOptions.FLOWS_DEFINITIONS);
        boolean watch = conf.get(PersonalizeOptions.FLOWS_WATCH);
        if (watch && path == null) {
            throw new ConfigException(
                    "personalize.flows.watch needs personalize.flows.definitions (a file)");
        }
        FlowDefinitions flows;
        try {
            flows = path == null ? FlowDefinitions.defaults() : FlowDefinitions.load(Path.of(path));
            FlowCompiler.standard()
                    .withRegistry(declared.registry())
                    .withSegments(segments)
                    .withModels(modelNames)
                    .compile(flows);
        } catch (IOException e) {
            throw new ConfigException("personalize.flows.definitions: cannot read " + path);
        } catch (IllegalArgumentException | FlowValidationException e) {
            throw new ConfigException(
                    (path == null ? "the bundled flow definitions" : path)
                            + " refused:\n"
                            + e.getMessage());
        }
        PolicySettings policy =
                new PolicySettings(
                        caps(conf.get(PersonalizeOptions.DECISIONS_FREQUENCY_CAPS)),
                        LocalTime.MIDNIGHT,
                        LocalTime.MIDNIGHT,
                        zone(conf.get(PersonalizeOptions.DECISIONS_DEFAULT_ZONE)),
                        conf.get(PersonalizeOptions.DECISIONS_MAX_DELAY),
                        conf.get(PersonalizeOptions.DECISIONS_IDEMPOTENCY_HORIZON));
        policy = quietHours(policy, conf.get(PersonalizeOptions.DECISIONS_QUIET_HOURS));
        policy = policy.withLiveHorizon(conf.get(PersonalizeOptions.DECISIONS_LIVE_HORIZON));
        Duration triggerWait =
                conf.getOptional(PersonalizeOptions.DECISIONS_TRIGGER_WAIT)
                        .orElse(conf.get(PersonalizeOptions.OUT_OF_ORDERNESS).plusSeconds(1));
        if (triggerWait.isNegative()) {
            throw new ConfigException("personalize.decisions.trigger-wait must not be negative");
        }
        return new DecisionSettings(
                flows,
                path,
                watch,
                conf.get(PersonalizeOptions.FLOWS_POLL_INTERVAL),
                policy,
                triggerWait,
                declared,
                modelNames == null ? null : java.util.Set.copyOf(modelNames));
    }

    /** Whether the decision stage reads flow definition updates while running. */
    public boolean watchesFlows() {
        return watchFlows && flowsPath != null;
    }

    static List<PolicySettings.Cap> caps(String text) {
        List<PolicySettings.Cap> caps = new ArrayList<>();
        if (text.isBlank() || text.trim().equals("none")) {
            return caps;
        }
        for (String part : text.split(",")) {
            String[] nw = part.trim().split("/", 2);
            try {
                caps.add(
                        new PolicySettings.Cap(
                                Integer.parseInt(nw[0].trim()),
                                TimeUtils.parseDuration(nw[1].trim())));
            } catch (RuntimeException e) {
                throw new ConfigException(
                        "personalize.decisions.frequency-caps: '"
                                + part.trim()
                                + "' is not N/window (e.g. 1/16h, 3/7d)");
            }
        }
        return caps;
    }

    private static PolicySettings quietHours(PolicySettings policy, String text) {
        if (text.trim().equals("none")) {
            return policy.withoutQuietHours();
        }
        String[] range = text.trim().split("-", 2);
        try {
            return policy.withQuietHours(
                    LocalTime.parse(range[0].trim()), LocalTime.parse(range[1].trim()));
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "personalize.decisions.quiet-hours: '" + text + "' is not HH:mm-HH:mm or none");
        }
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new ConfigException("personalize.decisions.default-zone: unknown zone " + text);
        }
    }
}
