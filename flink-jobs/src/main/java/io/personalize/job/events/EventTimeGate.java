package io.personalize.job.events;

import io.personalize.core.events.DeadLetter;
import io.personalize.core.events.DeadLetterReason;
import io.personalize.core.events.DeadLetters;
import io.personalize.core.events.Event;
import io.personalize.job.Descriptors;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Two rules of event time, right after watermarks are assigned:
 *
 * <ul>
 *   <li>an event older than the retention horizon behind the watermark can no longer change
 *       windowed features: it goes to dead letters as {@code too_old};
 *   <li><b>bounded runs end at the last event's time.</b> At the end of bounded input Flink sends a
 *       watermark of +infinity, which would fire every event-time timer: every window would empty
 *       and every customer would look lapsed. This operator replaces that final watermark by the
 *       latest event time it saw, so timers later than the data never fire and the last feature
 *       rows keep their counts. Unbounded runs never see that watermark.
 * </ul>
 *
 * <p>A custom operator because a {@code ProcessFunction} cannot change watermarks.
 */
public class EventTimeGate extends AbstractStreamOperator<Event>
        implements OneInputStreamOperator<Event, Event> {
    private static final long serialVersionUID = 1L;

    private final long retentionMillis;
    private final boolean clampEndOfInput;
    private long latestEventTime = Long.MIN_VALUE;
    private long currentWatermark = Long.MIN_VALUE;

    /**
     * @param clampEndOfInput replace the final +infinity watermark (false when a later stage stops
     *     time itself, as a batch replay with a known end does)
     */
    public EventTimeGate(long retentionMillis, boolean clampEndOfInput) {
        this.retentionMillis = retentionMillis;
        this.clampEndOfInput = clampEndOfInput;
    }

    @Override
    public void processElement(StreamRecord<Event> record) {
        Event event = record.getValue();
        if (currentWatermark != Long.MIN_VALUE
                && event.occurredAt < currentWatermark - retentionMillis) {
            output.collect(Descriptors.DEAD_LETTERS, new StreamRecord<>(tooOld(event)));
            return;
        }
        latestEventTime = Math.max(latestEventTime, event.occurredAt);
        output.collect(record);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE && clampEndOfInput) {
            if (latestEventTime == Long.MIN_VALUE) {
                // Saw nothing (e.g. a source subtask without a split): step aside instead of
                // holding every downstream watermark back.
                output.emitWatermarkStatus(WatermarkStatus.IDLE);
            } else if (latestEventTime > currentWatermark) {
                currentWatermark = latestEventTime;
                super.processWatermark(new Watermark(latestEventTime));
            }
            return;
        }
        currentWatermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    private DeadLetter tooOld(Event event) {
        DeadLetter letter =
                DeadLetters.of(
                        DeadLetterReason.TOO_OLD,
                        "event time is more than "
                                + retentionMillis / 86_400_000L
                                + " days behind the current event time",
                        event.source,
                        event.source + "/" + event.eventId,
                        event.payload,
                        event.ingestedAt);
        letter.eventId = event.eventId;
        letter.eventType = event.eventType.wireName();
        letter.occurredAt = event.occurredAt;
        letter.customerId = event.customerId;
        return letter;
    }
}
