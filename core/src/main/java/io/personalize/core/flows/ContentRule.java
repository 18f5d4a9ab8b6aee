package io.personalize.core.flows;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One content rule of a flow: when its CEL rule {@code when} holds (always, without one), its
 * {@code blocks} are chosen, each carrying the rule's {@code variables} (fixed texts such as a
 * discount code, for the template); with {@code stop: true}, a rule that applies ends the list. See
 * {@link Flow#contentBlocks} for how a flow's rules combine.
 *
 * <pre>
 * content:
 *   - when: in_segment('frequent_buyers')
 *     blocks: [loyalty_banner, exclusive_discount]
 *     variables: {discount_code: LOYAL15}
 *     stop: true
 *   - blocks: [latest_products]
 * </pre>
 */
public record ContentRule(
        String when, List<String> blocks, Map<String, String> variables, boolean stop)
        implements Serializable {

    @JsonCreator
    public ContentRule {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
        variables =
                variables == null
                        ? Map.of()
                        : java.util.Collections.unmodifiableMap(new TreeMap<>(variables));
    }

    /** A rule without variables. */
    public ContentRule(String when, List<String> blocks, boolean stop) {
        this(when, blocks, Map.of(), stop);
    }
}
