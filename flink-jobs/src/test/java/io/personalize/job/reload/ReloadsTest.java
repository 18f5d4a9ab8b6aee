package io.personalize.job.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ReloadsTest {
    private static final long READ_AT = 1_740_787_200_000L;

    private final SimpleCounter refused = new SimpleCounter();
    private final List<DeadLetter> letters = new ArrayList<>();

    /** Serves a number; a reading is a number, refused when it is not above what serves. */
    private static final class Version implements Serving<String> {
        long serving = 1;

        @Override
        public Offer offer(String reading) {
            long next = Long.parseLong(reading);
            if (next <= serving) {
                return Offer.refused("version " + next + " is not above " + serving, reading);
            }
            serving = next;
            return Offer.accepted();
        }

        @Override
        public Object version() {
            return serving;
        }
    }

    private Reloads reloads(int subtask) {
        return new Reloads(
                "numbers",
                DeadLetterReason.INVALID_FLOWS,
                "decisions",
                LoggerFactory.getLogger(ReloadsTest.class),
                refused,
                subtask,
                letters::add);
    }

    @Test
    void aRefusedReadingIsCountedAndWrittenAsADeadLetterWithTheReadingAsPayload() throws Exception {
        Version serving = new Version();

        Offer offer = reloads(0).offer("numbers.txt", READ_AT, serving, "1");

        assertThat(offer.applied()).isFalse();
        assertThat(serving.serving).isEqualTo(1);
        assertThat(refused.getCount()).isEqualTo(1);
        assertThat(letters)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reason).isEqualTo("invalid_flows");
                            assertThat(d.stage).isEqualTo("decisions");
                            assertThat(d.message).isEqualTo("version 1 is not above 1");
                            assertThat(d.source).isEqualTo("numbers.txt");
                            assertThat(d.rawPayload).isEqualTo("1");
                            assertThat(d.ingestedAt).isEqualTo(READ_AT);
                            assertThat(d.deadLetterId)
                                    .isEqualTo(DeadLetters.id("numbers.txt", "1"));
                        });
    }

    @Test
    void onlySubtaskZeroWritesTheDeadLetterButEverySubtaskCountsIt() throws Exception {
        reloads(1).offer("numbers.txt", READ_AT, new Version(), "0");
        reloads(2).offer("numbers.txt", READ_AT, new Version(), "0");

        assertThat(letters).isEmpty();
        assertThat(refused.getCount()).isEqualTo(2);
    }

    @Test
    void anAppliedReadingServesAndIsNeitherCountedNorDeadLettered() throws Exception {
        Version serving = new Version();

        Offer offer = reloads(0).offer("numbers.txt", READ_AT, serving, "2");

        assertThat(offer.applied()).isTrue();
        assertThat(serving.serving).isEqualTo(2);
        assertThat(refused.getCount()).isZero();
        assertThat(letters).isEmpty();
    }

    @Test
    void eachRefusalOfAReadingAppliedInPartIsItsOwnDeadLetter() throws Exception {
        Serving<String> models =
                new Serving<>() {
                    @Override
                    public Offer offer(String reading) {
                        return new Offer(
                                true,
                                List.of(
                                        new Offer.Refusal("model a fails", reading + "a", null),
                                        new Offer.Refusal("model b fails", reading + "b", null)));
                    }

                    @Override
                    public Object version() {
                        return "c 2";
                    }
                };

        Offer offer = reloads(0).offer("registry.yaml", READ_AT, models, "f00d");

        assertThat(offer.applied()).isTrue();
        assertThat(refused.getCount()).isEqualTo(2);
        assertThat(letters)
                .extracting(d -> d.message + " " + d.rawPayload)
                .containsExactly("model a fails null", "model b fails null");
        assertThat(letters)
                .extracting(d -> d.deadLetterId)
                .containsExactly(
                        DeadLetters.id("registry.yaml", "f00da"),
                        DeadLetters.id("registry.yaml", "f00db"));
    }
}
