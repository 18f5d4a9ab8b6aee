package io.personalize.core.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decision state lives in Flink keyed state: it keeps the shape Flink serializes as a POJO
 * (public class, public no-arg constructor, public non-final fields of POJOs, strings, numbers,
 * lists and maps; no records or enums). core has no Flink dependency, so this guards the shape.
 */
class DecisionPojoShapeTest {
    private static final List<Class<?>> ALLOWED =
            List.of(
                    String.class,
                    long.class,
                    Long.class,
                    int.class,
                    double.class,
                    List.class,
                    Map.class,
                    Decision.class,
                    Trigger.class,
                    Send.class,
                    PendingDecision.class);

    @ParameterizedTest
    @ValueSource(
            classes = {
                DecisionState.class,
                Send.class,
                PendingDecision.class,
                Decision.class,
                Trigger.class
            })
    void hasTheShapeOfAFlinkPojo(Class<?> type) throws Exception {
        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
        assertThat(type.isRecord()).isFalse();
        assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
        assertThat(instanceFields(type))
                .isNotEmpty()
                .allSatisfy(
                        f -> {
                            assertThat(Modifier.isPublic(f.getModifiers()))
                                    .as(f.getName())
                                    .isTrue();
                            assertThat(Modifier.isFinal(f.getModifiers()))
                                    .as(f.getName())
                                    .isFalse();
                            assertThat(f.getType()).as(f.getName()).isIn(ALLOWED);
                        });
    }

    @ParameterizedTest
    @ValueSource(classes = {DecisionState.class, Send.class, PendingDecision.class})
    void equalsAndHashCodeAreByValue(Class<?> type) throws Exception {
        Object a = type.getConstructor().newInstance();
        Object b = type.getConstructor().newInstance();

        assertThat(type.getMethod("equals", Object.class).getDeclaringClass()).isEqualTo(type);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    private static Field[] instanceFields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toArray(Field[]::new);
    }
}
