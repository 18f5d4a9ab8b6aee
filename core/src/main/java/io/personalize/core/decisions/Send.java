package io.personalize.core.decisions;

import java.util.Objects;

/** One email handed to delivery (outcome to_send): kept for the frequency caps. A Flink POJO. */
public class Send {
    public String flowId;
    public String decisionId;

    /** Event time it was decided. */
    public long at;

    public Send() {}

    public Send(String flowId, String decisionId, long at) {
        this.flowId = flowId;
        this.decisionId = decisionId;
        this.at = at;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Send s
                && at == s.at
                && Objects.equals(flowId, s.flowId)
                && Objects.equals(decisionId, s.decisionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowId, decisionId, at);
    }

    @Override
    public String toString() {
        return "Send{" + flowId + " " + decisionId + " @" + at + "}";
    }
}
