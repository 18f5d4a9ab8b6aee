package io.personalize.job.scoring;

import io.personalize.job.sources.Polling;
import io.personalize.models.ModelRegistryUpdate;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Reads the model registry and every model and card it names once per poll interval, with Flink's
 * {@link DataGeneratorSource} doing the pacing and checkpointing. A reading that equals the
 * previous one goes out without its bytes ({@link ModelRegistryUpdate#unchanged()}), so models are
 * broadcast only when they change, and only once two polls read them alike: a model or card caught
 * while being copied is not offered (see {@link io.personalize.job.sources.SettledReadings}).
 */
public final class ModelRegistryPoller implements GeneratorFunction<Long, ModelRegistryUpdate> {
    private static final long serialVersionUID = 1L;

    public static final String SOURCE_UID = "model-registry-poller";
    public static final String SOURCE_NAME = "Model registry (polled file)";

    private final String path;
    private transient String lastFingerprint;
    private transient String candidate;

    public ModelRegistryPoller(Path path) {
        this.path = path.toAbsolutePath().toString();
    }

    /** An unbounded stream of readings of {@code registry}, one per {@code interval}. */
    public static DataStream<ModelRegistryUpdate> stream(
            StreamExecutionEnvironment env, Path registry, Duration interval) {
        return Polling.every(
                env,
                interval,
                new ModelRegistryPoller(registry),
                ModelRegistryUpdate.class,
                SOURCE_UID,
                SOURCE_NAME);
    }

    @Override
    public ModelRegistryUpdate map(Long index) {
        ModelRegistryUpdate reading =
                ModelRegistryUpdate.read(Path.of(path), System.currentTimeMillis());
        boolean settled = reading.fingerprint.equals(candidate);
        candidate = reading.fingerprint;
        if (reading.fingerprint.equals(lastFingerprint) || (lastFingerprint != null && !settled)) {
            return reading.unchanged(); // unchanged, or changed and not yet read alike twice
        }
        lastFingerprint = reading.fingerprint;
        return reading;
    }
}
