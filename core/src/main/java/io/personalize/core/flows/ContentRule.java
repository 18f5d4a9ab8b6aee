package io.personalize.core.flows;

import java.io.Serializable;
import java.util.List;

/**
 * One content rule of a flow: when its CEL rule {@code when} holds (always, without one), its
 * {@code blocks} are chosen; with {@code stop: true}, a rule that applies ends the list. See {@link
 * Flow#contentBlocks} for how a flow's rules combine.
 *
 * <pre>
 * content:
 *   - when: in_segment('frequent_buyers')
 *     blocks: [loyalty_banner, exclusive_discount]
 *     stop: true
 *   - blocks: [latest_products]
 * </pre>
 */
public record ContentRule(String when, List<String> blocks, boolean stop) implements Serializable {

    public ContentRule {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }
}
