package io.personalize.models.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SplitsTest {
    @Test
    void splitsKeepEveryCustomerInOnePartAndDealTrainingCustomersIntoFolds() {
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            customers.add("c:" + i);
        }
        Splits splits = new Splits(customers, 3, 5);
        Map<Splits.Part, Integer> counts = new TreeMap<>();
        for (String c : customers) {
            counts.merge(splits.part(c), 1, Integer::sum);
            assertThat(splits.fold(c) >= 0).isEqualTo(splits.part(c) == Splits.Part.TRAIN);
        }
        assertThat(counts)
                .containsEntry(Splits.Part.TRAIN, 700)
                .containsEntry(Splits.Part.VALIDATION, 150)
                .containsEntry(Splits.Part.TEST, 150);
        assertThat(new Splits(customers, 3, 5).part("c:17")).isEqualTo(splits.part("c:17"));
    }
}
