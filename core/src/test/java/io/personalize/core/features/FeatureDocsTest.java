package io.personalize.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/features.md is generated from the registry ({@link FeatureDocs}), so the docs cannot drift
 * from the code. After changing a feature, regenerate it with {@code mvn -pl core test
 * -Dtest=FeatureDocsTest -Dfeatures.docs.write=true}.
 */
class FeatureDocsTest {
    private static final Path DOC = Path.of("..", "docs", "features.md");

    static String expected() {
        return FeatureDocs.markdown(FeatureRegistry.standard());
    }

    @Test
    void theFeatureDocIsTheRegistryAsATable() throws Exception {
        if (Boolean.getBoolean("features.docs.write")) {
            Files.writeString(DOC, expected());
        }
        assertThat(Files.readString(DOC))
                .as("docs/features.md is stale: regenerate it (see this test's Javadoc)")
                .isEqualTo(expected());
    }
}
