package io.personalize.core.flows;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.util.List;

/**
 * One email flow as written in a definitions file ({@link FlowDefinitions}).
 *
 * <ul>
 *   <li>{@code id}: stable, unique; {@code name} and {@code description} for people.
 *   <li>{@code trigger}: what starts it ({@link FlowTrigger}: a pattern, a segment entered or
 *       exited, or a condition).
 *   <li>{@code conditions}: CEL rules over features and scores that must all hold when the flow is
 *       decided and again when a deferred decision fires (e.g. {@code cart_items > 0}: a purchase
 *       since cancels a reminder).
 *   <li>{@code priority}: higher wins when several flows fire at once (default 0).
 *   <li>{@code cooldown}: least time between two sends of this flow to one customer, e.g. {@code
 *       7d}, {@code 16h}, {@code 1d12h}, {@code 30m} or ISO-8601 {@code P7D} (default: none).
 *   <li>{@code reentry}: {@code after_cooldown} (default) or {@code once}.
 *   <li>{@code endpoint}, {@code template}: the delivery endpoint id and template id.
 *   <li>{@code content}: ordered content rules ({@link ContentRule}).
 *   <li>{@code experiment}: optional ({@link Experiment}).
 * </ul>
 */
@JsonPropertyOrder({
    "id",
    "name",
    "description",
    "trigger",
    "conditions",
    "priority",
    "cooldown",
    "reentry",
    "endpoint",
    "template",
    "content",
    "experiment"
})
public record FlowDefinition(
        String id,
        String name,
        String description,
        FlowTrigger trigger,
        List<String> conditions,
        Integer priority,
        String cooldown,
        String reentry,
        String endpoint,
        String template,
        List<ContentRule> content,
        Experiment experiment)
        implements Serializable {

    /** {@code reentry} values. */
    public static final String ONCE = "once";

    public static final String AFTER_COOLDOWN = "after_cooldown";

    public FlowDefinition {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        priority = priority == null ? 0 : priority;
        reentry = reentry == null ? AFTER_COOLDOWN : reentry;
        content = content == null ? List.of() : List.copyOf(content);
    }
}
