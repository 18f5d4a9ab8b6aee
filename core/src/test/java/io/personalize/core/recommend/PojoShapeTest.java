package io.personalize.core.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classes that go into Flink state or records keep the shape Flink serializes as a POJO (public
 * class, public no-arg constructor, public non-final fields) without Kryo. core has no Flink
 * dependency, so the Flink module asserts the serializer itself; this guards the shape.
 */
class PojoShapeTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ProductInfo.class,
                ModelEntry.class,
                CustomerContext.class,
                Recommendation.class,
                ProductSignal.class,
                ProductSlice.class,
                ProductRequest.class,
                SeedRow.class,
                FactsRequest.class,
                FactsAnswer.class,
                RankedProduct.class
            })
    void hasTheShapeOfAFlinkPojo(Class<?> type) throws Exception {
        assertThat(Modifier.isPublic(type.getModifiers())).isTrue();
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
                        });
    }

    @ParameterizedTest
    @ValueSource(
            classes = {
                ProductInfo.class,
                ModelEntry.class,
                CustomerContext.class,
                Recommendation.class,
                ProductSignal.class,
                ProductSlice.class,
                ProductRequest.class,
                SeedRow.class,
                FactsRequest.class,
                FactsAnswer.class,
                RankedProduct.class
            })
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
