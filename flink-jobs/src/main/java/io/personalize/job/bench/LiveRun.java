package io.personalize.job.bench;

import io.personalize.job.config.CartSettings;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.JobSettings;
import io.personalize.job.config.PersonalizeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The live run: the full pipeline on the bench's events paced at a rate, each dated the wall clock
 * of its emission ({@link LiveEventTimes}), so watermarks advance as in production. It measures
 * what a user feels: from an event's emission to the decision it started reaching the sink, and how
 * long after their designed time the pattern triggers' decisions (cart abandoned, reminder due,
 * browse abandoned) reached it.
 *
 * <p>The production waits (abandoned after 1 h, reminded after 24 h, 5 min out-of-orderness) are
 * far longer than a run, so the run shortens those the configuration leaves unset ({@link
 * #SHORT_WAITS}) and says so in its line.
 */
final class LiveRun {
    /** The waits a live run uses unless configured: a few seconds each. */
    static final Map<ConfigOption<Duration>, Duration> SHORT_WAITS =
            Map.of(
                    PersonalizeOptions.CART_ABANDON_AFTER, Duration.ofSeconds(2),
                    PersonalizeOptions.CART_REMIND_AFTER, Duration.ofSeconds(4),
                    PersonalizeOptions.BROWSE_QUIET_PERIOD, Duration.ofSeconds(3),
                    PersonalizeOptions.OUT_OF_ORDERNESS, Duration.ofSeconds(1));

    private final BenchJobs jobs;
    private final JobSettings settings;

    LiveRun(BenchJobs jobs, Configuration userConf, String hashSecret) {
        this.jobs = jobs;
        Configuration conf = new Configuration();
        SHORT_WAITS.forEach(conf::set);
        conf.addAll(userConf);
        this.settings = JobSettings.from(ConfigLoader.withJobDefaults(conf), hashSecret);
    }

    /** Runs the full pipeline live at {@code rate} events per second, Iceberg tables included. */
    Result run(Path warehouse, double rate) throws Exception {
        RunResult run = jobs.full(settings, warehouse, BenchEvents.liveSource(rate), true, true);
        // The end of input releases every waiting timer at once; only the triggers the stream's
        // own watermarks were due to release before it ended measure lateness.
        long released =
                BenchEvents.lastEmittedMillis()
                        - settings.outOfOrderness().toMillis()
                        - settings.decisions().triggerWait().toMillis();
        return new Result(run, rate, TriggerLateness.summarize(released), settings);
    }

    /** A live run's figures and the waits it ran with. */
    record Result(
            RunResult run, double rate, TriggerLateness.Summary triggers, JobSettings settings) {
        String line(long events) {
            CartSettings carts = settings.carts();
            return String.format(
                    Locale.ROOT,
                    "pipeline=live events=%d rate=%.0f seconds=%.2f cpu_us_per_event=%.1f"
                            + " decisions_probed=%d decision_latency_p50_ms=%d"
                            + " decision_latency_p99_ms=%d triggers_probed=%d"
                            + " trigger_lateness_p50_ms=%d trigger_lateness_p99_ms=%d"
                            + " abandon_after_ms=%d remind_after_ms=%d browse_quiet_period_ms=%d"
                            + " out_of_orderness_ms=%d trigger_wait_ms=%d",
                    events,
                    rate,
                    run.seconds(),
                    run.cpuMicrosPerEvent(events),
                    run.decisionsProbed(),
                    run.decisionP50Millis(),
                    run.decisionP99Millis(),
                    triggers.count(),
                    triggers.p50Millis(),
                    triggers.p99Millis(),
                    carts.abandonAfter().toMillis(),
                    carts.remindAfter().toMillis(),
                    carts.browseQuietPeriod().toMillis(),
                    settings.outOfOrderness().toMillis(),
                    settings.decisions().triggerWait().toMillis());
        }
    }
}
