package io.personalize.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.personalize.job.config.ConfigException;
import io.personalize.job.config.ConfigLoader;
import io.personalize.job.config.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code personalize.input.source} picks the input of {@code run}; nothing is executed. */
class RunCommandInputTest {
    @TempDir Path tmp;

    private String build(String... sets) {
        Configuration conf = ConfigLoader.load(null, Map.of(), List.of(sets));
        return RunCommand.input(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        conf,
                        KafkaSettings.from(conf))
                .id();
    }

    private String[] kafka(String source, String... more) {
        List<String> sets = new ArrayList<>();
        sets.add("personalize.input.source=" + source);
        sets.add("personalize.kafka.bootstrap-servers=localhost:9092");
        sets.add("personalize.kafka.events-topic=events");
        sets.addAll(List.of(more));
        return sets.toArray(String[]::new);
    }

    @Test
    void readsFilesByDefault() throws Exception {
        Path events = Files.writeString(tmp.resolve("events.jsonl"), "");

        assertThat(build("personalize.input.path=" + events)).isEqualTo("files");
    }

    @Test
    void readsTheEventsTopicOrHistoryThenTheTopic() throws Exception {
        Path history = Files.writeString(tmp.resolve("history.jsonl"), "");

        assertThat(build(kafka("kafka"))).isEqualTo("kafka");
        assertThat(build(kafka("history-then-kafka", "personalize.input.path=" + history)))
                .isEqualTo("history-then-kafka");
    }

    @Test
    void refusesAnUnknownSourceAndAKafkaSourceWithoutServers() {
        assertThatThrownBy(() -> build("personalize.input.source=carrier-pigeon"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.input.source");
        assertThatThrownBy(() -> build("personalize.input.source=kafka"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.kafka.bootstrap-servers");
        assertThatThrownBy(() -> build(kafka("history-then-kafka")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("personalize.input.path");
    }
}
