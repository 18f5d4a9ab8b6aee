package io.personalize.core.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentAssignmentTest {
    private static final int CUSTOMERS = 100_000;

    private static Flow compile(String experimentYaml) throws FlowValidationException {
        return FlowCompiler.standard()
                .compile(
                        """
                        version: 1
                        flows:
                          - id: f
                            trigger: {pattern: cart_abandoned}
                            endpoint: esp
                            template: tpl_f
                            experiment:
                        """
                                + experimentYaml)
                .flows()
                .get(0);
    }

    private static Flow winBack() throws FlowValidationException {
        return FlowCompiler.standard().compile(FlowDefinitions.defaults()).flow("win_back").get();
    }

    @Test
    void sameCustomerGetsTheSameArmAcrossCallsAndCompilations() throws Exception {
        Flow first = winBack();
        Flow second = winBack();
        for (int i = 0; i < 1_000; i++) {
            String customer = "cust-" + i;
            Flow.Assignment a = first.assign(customer);
            assertThat(first.assign(customer)).isEqualTo(a);
            assertThat(second.assign(customer)).isEqualTo(a);
        }
    }

    @Test
    void armsAreFixedValuesOfTheHashSoTheyAgreeAcrossJvms() throws Exception {
        // computed outside Java: printf 'win_back_offer:42' | sha256sum, first 53 bits / 2^53;
        // a change of the hashing would move customers between arms and fails here
        assertThat(ExperimentArms.position("win_back_offer", "42"))
                .isCloseTo(0.868134877675, within(1e-12));
        assertThat(ExperimentArms.position("win_back_offer", "c2"))
                .isCloseTo(0.070713178528, within(1e-12));
        Flow winBack = winBack();
        assertThat(winBack.assign("42"))
                .isEqualTo(new Flow.Assignment("win_back_offer", "reminder", false));
        assertThat(winBack.assign("2"))
                .isEqualTo(new Flow.Assignment("win_back_offer", "discount", false));
        assertThat(winBack.assign("c2"))
                .isEqualTo(new Flow.Assignment("win_back_offer", "holdout", true));
        assertThat(winBack.assign("c20").heldOut()).isTrue();
        assertThat(winBack.assign("c-9").variant()).isEqualTo("discount");
        assertThat(winBack.assign("c-12").variant()).isEqualTo("reminder");
    }

    @Test
    void armsFollowWeightsAndHoldoutShareOverManyCustomers() throws Exception {
        Flow flow =
                compile(
                        """
                              id: e1
                              holdout: 0.1
                              variants:
                                - {id: a, weight: 3}
                                - {id: b, weight: 1}
                        """);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            Flow.Assignment arm = flow.assign(Integer.toString(i));
            assertThat(arm.experimentId()).isEqualTo("e1");
            counts.merge(arm.heldOut() ? "held_out" : arm.variant(), 1, Integer::sum);
        }
        // binomial standard deviation at 100k is at most 0.0016; 0.01 is over 6 of them
        assertThat(share(counts, "held_out")).isCloseTo(0.10, within(0.01));
        assertThat(share(counts, "a")).isCloseTo(0.675, within(0.01));
        assertThat(share(counts, "b")).isCloseTo(0.225, within(0.01));
    }

    @Test
    void heldOutCustomersAreMarkedWithTheHoldoutVariant() throws Exception {
        Flow winBack = winBack();
        int heldOut = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            Flow.Assignment arm = winBack.assign("c" + i);
            if (arm.heldOut()) {
                heldOut++;
                assertThat(arm.variant()).isEqualTo(Flow.Assignment.HOLDOUT);
            } else {
                assertThat(arm.variant()).isIn("discount", "reminder");
            }
        }
        assertThat(heldOut / (double) CUSTOMERS).isCloseTo(0.10, within(0.01));
    }

    @Test
    void experimentsWithDifferentIdsSplitCustomersIndependently() throws Exception {
        Flow one =
                compile("      id: x\n      variants: [{id: a, weight: 1}, {id: b, weight: 1}]\n");
        Flow other =
                compile("      id: y\n      variants: [{id: a, weight: 1}, {id: b, weight: 1}]\n");
        int same = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = Integer.toString(i);
            if (one.assign(customer).variant().equals(other.assign(customer).variant())) {
                same++;
            }
        }
        assertThat(same / (double) CUSTOMERS).isCloseTo(0.5, within(0.01));
    }

    @Test
    void withoutHoldoutNobodyIsHeldOutAndASingleVariantTakesEveryone() throws Exception {
        Flow flow = compile("      id: solo\n      variants: [{id: only, weight: 2.5}]\n");
        for (int i = 0; i < 10_000; i++) {
            assertThat(flow.assign("c" + i)).isEqualTo(new Flow.Assignment("solo", "only", false));
        }
    }

    @Test
    void variantTemplateReplacesTheFlowTemplate() throws Exception {
        Flow winBack = winBack();
        assertThat(winBack.templateId(new Flow.Assignment("win_back_offer", "discount", false)))
                .isEqualTo("tpl_win_back_discount");
        assertThat(winBack.templateId(new Flow.Assignment("win_back_offer", "reminder", false)))
                .isEqualTo("tpl_win_back");
        assertThat(winBack.templateId(Flow.Assignment.NONE)).isEqualTo("tpl_win_back");
        assertThat(winBack.templateId(new Flow.Assignment("other", "discount", false)))
                .isEqualTo("tpl_win_back");
    }

    @Test
    void serializedFlowAssignsTheSameArms() throws Exception {
        Flow winBack = winBack();
        Flow copy = (Flow) roundTrip(winBack);
        assertThat(copy).isEqualTo(winBack);
        for (int i = 0; i < 1_000; i++) {
            assertThat(copy.assign("c" + i)).isEqualTo(winBack.assign("c" + i));
        }
    }

    static Object roundTrip(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }

    private static double share(Map<String, Integer> counts, String arm) {
        return counts.getOrDefault(arm, 0) / (double) CUSTOMERS;
    }
}
