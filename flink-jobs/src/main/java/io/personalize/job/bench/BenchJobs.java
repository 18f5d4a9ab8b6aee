package io.personalize.job.bench;

import io.personalize.core.adapters.InputFormat;
import io.personalize.core.events.RawRecord;
import io.personalize.job.PersonalizationPipeline;
import io.personalize.job.PipelineInput;
import io.personalize.job.PipelineSinks;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.events.CustomerKeySelector;
import io.personalize.job.events.ParseFunction;
import io.personalize.job.sinks.DiscardingSinks;
import io.personalize.job.sinks.IcebergPipelineSinks;
import io.personalize.tables.CatalogSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The bench's jobs on the events of {@link BenchEvents}, each run in a local MiniCluster in this
 * JVM and measured: the bare pipeline and the full one, with Iceberg tables or discarding sinks.
 */
final class BenchJobs {
    private final Configuration userConf;
    private final Path scratch;

    /**
     * @param scratch the folder for checkpoints (unless the configuration names one)
     */
    BenchJobs(Configuration userConf, Path scratch) {
        this.userConf = userConf;
        this.scratch = scratch;
    }

    /** The subtasks of each operator. */
    int parallelism() {
        return environment(false).getParallelism();
    }

    /** Source, parse and keyBy, discarding sink. */
    RunResult bare(JobSettings settings) throws Exception {
        StreamExecutionEnvironment env = environment(false);
        DataStream<RawRecord> records =
                source(env, BenchEvents.source(0))
                        .map(RawRecord::ofText, TypeInformation.of(RawRecord.class));
        records.process(new ParseFunction(settings.intake(InputFormat.ENVELOPE), "bench"))
                .keyBy(new CustomerKeySelector())
                .map(new LatencyProbe())
                .sinkTo(new DiscardingSink<>());
        return measure(env, "bench-bare", false, false);
    }

    /**
     * The full graph, writing Iceberg tables in {@code warehouse}, or discarding when null.
     *
     * @param rate events per second, 0 for as fast as it goes
     */
    RunResult full(JobSettings settings, Path warehouse, double rate) throws Exception {
        return full(settings, warehouse, BenchEvents.source(rate), rate > 0, false);
    }

    /**
     * The full graph on {@code events}.
     *
     * @param decisions whether to probe the latency of decisions
     * @param live whether the events are dated when emitted ({@link BenchEvents#liveSource})
     */
    RunResult full(
            JobSettings settings,
            Path warehouse,
            DataGeneratorSource<String> events,
            boolean decisions,
            boolean live)
            throws Exception {
        StreamExecutionEnvironment env = environment(true);
        PipelineSinks sinks =
                warehouse == null
                        ? new DiscardingSinks()
                        : new IcebergPipelineSinks(
                                CatalogSettings.localSqlite(warehouse, "bench"), settings);
        PersonalizationPipeline.Streams streams =
                PersonalizationPipeline.build(
                        List.of(
                                PipelineInput.ofText(
                                        "bench",
                                        source(env, events),
                                        InputFormat.ENVELOPE,
                                        "bench")),
                        sinks,
                        settings);
        streams.events()
                .map(new LatencyProbe())
                .name("Latency probe (events)")
                .sinkTo(new DiscardingSink<>());
        streams.live()
                .orElseThrow()
                .decisions()
                .map(new DecisionLatencyProbe())
                .name("Latency probe (decisions)")
                .sinkTo(new DiscardingSink<>());
        return measure(env, "bench-full", decisions, live);
    }

    /** The local environment with the user's configuration and the bench's scratch folder. */
    StreamExecutionEnvironment environment(boolean checkpointing) {
        Configuration conf = ConfigLoader.withLocalDefaults(userConf);
        if (scratch != null && !userConf.containsKey(ConfigLoader.CHECKPOINT_DIR)) {
            conf.setString(
                    ConfigLoader.CHECKPOINT_DIR, scratch.resolve("checkpoints").toUri().toString());
        }
        if (!checkpointing) {
            conf.removeKey("execution.checkpointing.interval");
        }
        conf.setString("parallelism.default", conf.getString("parallelism.default", "2"));
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }

    private static DataStream<String> source(
            StreamExecutionEnvironment env, DataGeneratorSource<String> events) {
        return env.fromSource(events, WatermarkStrategy.noWatermarks(), "In-memory events");
    }

    /**
     * Runs the job; wall and CPU time count from its first record to its end, and so does the CPU
     * by thread.
     */
    private static RunResult measure(
            StreamExecutionEnvironment env, String name, boolean decisions, boolean live)
            throws Exception {
        LatencyRecorder.reset(decisions, live);
        CpuSampler sampler = new CpuSampler();
        RunClock.reset(sampler);
        CpuBreakdown cpu;
        try {
            env.executeAsync(name).getJobExecutionResult().get();
        } finally {
            cpu = sampler.finish();
        }
        return new RunResult(
                RunClock.wallSeconds(),
                RunClock.cpuNanos(),
                LatencyRecorder.EVENTS.quantile(0.5),
                LatencyRecorder.EVENTS.quantile(0.99),
                LatencyRecorder.DECISIONS.count(),
                LatencyRecorder.DECISIONS.quantile(0.5),
                LatencyRecorder.DECISIONS.quantile(0.99),
                cpu);
    }
}
