package io.personalize.job.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures every log line of this JVM (Flink's at INFO, the job's at DEBUG) while open, instead of
 * printing it; the levels and the console come back on close.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     ...
 *     assertThat(logs.text()).doesNotContain(...);
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private static final String NAME = "test-capture";
    private static final String JOB_LOGGER = "io.personalize";

    private final StringWriter sink = new StringWriter();
    private final LoggerContext context;
    private final Appender appender;
    private final Appender console;
    private final Level rootLevel;
    private final Level jobLevel;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender =
                WriterAppender.newBuilder()
                        .setName(NAME)
                        .setTarget(sink)
                        .setLayout(
                                PatternLayout.newBuilder()
                                        .withPattern("%p %c %m %throwable%n")
                                        .build())
                        .build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        console = root.getAppenders().get("ConsoleAppender");
        root.removeAppender("ConsoleAppender");
        root.addAppender(appender, Level.ALL, null);
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        LoggerConfig job = config.getLoggerConfig(JOB_LOGGER);
        jobLevel = job.getLevel();
        job.setLevel(Level.DEBUG);
        context.updateLoggers();
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** What was logged so far. */
    public String text() {
        synchronized (sink) {
            return sink.toString();
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(NAME);
        if (console != null) {
            root.addAppender(console, null, null);
        }
        root.setLevel(rootLevel);
        config.getLoggerConfig(JOB_LOGGER).setLevel(jobLevel);
        context.updateLoggers();
        appender.stop();
    }
}
