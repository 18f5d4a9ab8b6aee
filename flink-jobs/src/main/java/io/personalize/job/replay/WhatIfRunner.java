package io.personalize.job.replay;

import io.personalize.core.adapters.InputFormat;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.job.sources.EventTimeOrder;
import io.personalize.job.sources.FileInputs;
import io.personalize.tables.CatalogSettings;
import io.personalize.tables.Tables;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a change of flows or segments would have decided: runs the whole job ({@link
 * PersonalizationPipeline}, streaming, over the history in event-time order as the demo runs it)
 * twice over the {@code events} table of a warehouse, once with the current definitions and once
 * with the proposed ones, each into a namespace of its own. Nothing is delivered (no endpoints) and
 * the live tables are only read. The two runs can be compared row for row because the same input
 * gives the same decisions.
 *
 * <pre>{@code
 * WhatIfRunner.Result result = WhatIfRunner.run(conf, secret, request, System.out);
 * WhatIfReport.read(result).write(reportDir);
 * }</pre>
 */
public final class WhatIfRunner {
    /** Label and namespace suffix of the run with the current definitions. */
    public static final String CURRENT = "current";

    /** Label and namespace suffix of the run with the proposed definitions. */
    public static final String PROPOSED = "proposed";

    private WhatIfRunner() {}

    /**
     * What to compare.
     *
     * @param source the catalog and namespace whose {@code events} table is replayed
     * @param namespace the what-if namespace: the runs write {@code <namespace>_current} and {@code
     *     <namespace>_proposed}
     * @param flows the proposed flow definitions; null keeps the current ones
     * @param segments the proposed segment definitions; null keeps the current ones
     * @param from first event time replayed (inclusive); null from the first event
     * @param to last event time replayed (exclusive); null to the last event
     * @param workDir where the exported history, its ordered copies and checkpoints go
     */
    public record Request(
            CatalogSettings source,
            String namespace,
            Path flows,
            Path segments,
            Instant from,
            Instant to,
            Path workDir) {
        public Request {
            if (flows == null && segments == null) {
                throw new IllegalArgumentException(
                        "a what-if replay needs proposed flows or segments (or both)");
            }
        }
    }

    /** One run: the tables it wrote and the settings it ran with. */
    public record Run(String label, CatalogSettings tables, JobSettings settings) {}

    /** Both runs and how many events they read. */
    public record Result(Run current, Run proposed, long events, double seconds) {}

    public static Result run(
            Configuration userConf, String hashSecret, Request request, PrintStream out)
            throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(request.workDir());
        Path history = request.workDir().resolve("events.jsonl");
        long events = exportEvents(request, history);
        out.printf(
                "what-if: %,d events of %s.events exported to %s%n",
                events, request.source().namespace(), history);

        Configuration current = withoutSideEffects(userConf);
        Configuration proposed = current.clone();
        if (request.flows() != null) {
            proposed.set(PersonalizeOptions.FLOWS_DEFINITIONS, request.flows().toString());
        }
        if (request.segments() != null) {
            proposed.set(PersonalizeOptions.SEGMENTS_DEFINITIONS, request.segments().toString());
        }
        // both definitions are checked before either run starts
        JobSettings currentSettings = JobSettings.from(current, hashSecret);
        JobSettings proposedSettings = JobSettings.from(proposed, hashSecret);
        Run first = runOnce(CURRENT, current, currentSettings, history, request, out);
        Run second = runOnce(PROPOSED, proposed, proposedSettings, history, request, out);
        return new Result(first, second, events, (System.nanoTime() - started) / 1e9);
    }

    /** The tables of one run: the source catalog, namespace {@code <namespace>_<label>}. */
    public static CatalogSettings target(CatalogSettings source, String namespace, String label) {
        return new CatalogSettings(
                source.type(),
                source.name(),
                source.uri(),
                source.warehouse(),
                namespace + "_" + label,
                source.extraProperties());
    }

    private static Run runOnce(
            String label,
            Configuration conf,
            JobSettings settings,
            Path history,
            Request request,
            PrintStream out)
            throws Exception {
        Configuration runConf = ConfigLoader.withLocalDefaults(conf);
        runConf.setString(
                ConfigLoader.CHECKPOINT_DIR,
                request.workDir().resolve("checkpoints-" + label).toUri().toString());
        CatalogSettings tables = target(request.source(), request.namespace(), label);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(runConf);
        PipelineInput input;
        Path ordered = null;
        if (JobSettings.ordersBoundedInput(runConf)) {
            ordered =
                    EventTimeOrder.prepare(
                            runConf,
                            history,
                            InputFormat.ENVELOPE.cliName(),
                            settings.intake(InputFormat.ENVELOPE),
                            runConf.get(PersonalizeOptions.MAX_EVENT_BYTES),
                            request.workDir().resolve("history-order-" + label),
                            out);
            input = FileInputs.ordered(env, history, ordered, InputFormat.ENVELOPE);
        } else {
            input = FileInputs.of(env, history, InputFormat.ENVELOPE, null);
        }
        PersonalizationPipeline.build(
                List.of(input), new IcebergPipelineSinks(tables, settings), settings);
        out.printf("what-if: running the %s definitions into %s%n", label, tables.namespace());
        env.execute("personalize-what-if-" + label);
        if (ordered != null) {
            EventTimeOrder.remove(ordered);
        }
        return new Run(label, tables, settings);
    }

    /**
     * The user's configuration without what would reach the outside world or change under the run:
     * no endpoints (nothing is sent), no watched definition or model files.
     */
    static Configuration withoutSideEffects(Configuration userConf) {
        Configuration conf = userConf.clone();
        conf.removeConfig(PersonalizeOptions.DELIVERY_ENDPOINTS);
        conf.set(PersonalizeOptions.FLOWS_WATCH, false);
        conf.set(PersonalizeOptions.SEGMENTS_WATCH, false);
        conf.set(PersonalizeOptions.MODELS_WATCH, false);
        return conf;
    }

    /** Writes the payloads of the events in the request's time window, one a line. */
    private static long exportEvents(Request request, Path file) throws IOException {
        CatalogSettings source = request.source();
        return source.withCatalog(
                catalog -> {
                    Table table =
                            catalog.loadTable(Tables.EVENTS.identifier(source.icebergNamespace()));
                    try (BufferedWriter writer =
                                    Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                            CloseableIterable<Record> rows =
                                    IcebergGenerics.read(table)
                                            .select("payload", "occurred_at")
                                            .where(window(request))
                                            .build()) {
                        long count = 0;
                        for (Record row : rows) {
                            if (inWindow((OffsetDateTime) row.getField("occurred_at"), request)) {
                                writer.write((String) row.getField("payload"));
                                writer.newLine();
                                count++;
                            }
                        }
                        return count;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    private static Expression window(Request request) {
        Expression filter = Expressions.alwaysTrue();
        if (request.from() != null) {
            filter =
                    Expressions.and(
                            filter,
                            Expressions.greaterThanOrEqual("occurred_at", micros(request.from())));
        }
        if (request.to() != null) {
            filter =
                    Expressions.and(
                            filter, Expressions.lessThan("occurred_at", micros(request.to())));
        }
        return filter;
    }

    /** The scan's filter may return rows of a matching file outside the window: checked again. */
    private static boolean inWindow(OffsetDateTime occurredAt, Request request) {
        Instant at = occurredAt.toInstant();
        return (request.from() == null || !at.isBefore(request.from()))
                && (request.to() == null || at.isBefore(request.to()));
    }

    private static long micros(Instant instant) {
        return Math.multiplyExact(instant.getEpochSecond(), 1_000_000L) + instant.getNano() / 1000;
    }
}
