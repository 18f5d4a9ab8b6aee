package io.personalize.core.flows;

import java.io.Serializable;
import java.util.List;

/**
 * A flow's experiment: an id (with the customer id it decides the arm: {@link Flow#assign}), the
 * share of customers held out (in [0, 1): recorded with outcome {@code held_out}, nothing sent) and
 * the variants the others are split between by weight.
 *
 * <p>Flows that share an experiment id and holdout share hold out the same customers (e.g. a
 * holdout from every flow); each flow splits the others between its own variants.
 *
 * <pre>
 * experiment:
 *   id: win_back_subject_2025
 *   holdout: 0.1
 *   variants:
 *     - {id: discount, weight: 1, template: tpl_win_back_discount}
 *     - {id: reminder, weight: 1}
 * </pre>
 */
public record Experiment(String id, Double holdout, List<Variant> variants)
        implements Serializable {

    public Experiment {
        holdout = holdout == null ? 0.0 : holdout;
        variants = variants == null ? List.of() : List.copyOf(variants);
    }
}
