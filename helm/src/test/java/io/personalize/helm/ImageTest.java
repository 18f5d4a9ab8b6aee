package io.personalize.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile builds the image the chart expects, on the Flink version the job is built for. */
class ImageTest {

    @Test
    void imageIsTheFlinkVersionTheJobIsBuiltFor() throws IOException {
        String pom = Files.readString(Helm.repositoryRoot().resolve("pom.xml"));
        Matcher version = Pattern.compile("<flink.version>([^<]+)</flink.version>").matcher(pom);
        assertThat(version.find()).isTrue();

        assertThat(dockerfile()).contains("ARG FLINK_IMAGE=flink:" + version.group(1) + "-java17");
    }

    @Test
    void imageHoldsTheJarWhereTheChartRunsIt() throws IOException {
        String jarUri =
                RenderedChart.read(Helm.chart().resolve("values.yaml")).at("/job/jarURI").asText();
        String pathInImage = jarUri.substring("local://".length());

        assertThat(dockerfile()).containsPattern("COPY [^\\n]*\\$\\{JAR\\} " + pathInImage);
    }

    @Test
    void imageCopiesTheJarTheClusterJarProfileBuilds() throws IOException {
        String pom = Files.readString(Helm.repositoryRoot().resolve("flink-jobs/pom.xml"));

        assertThat(pom)
                .contains(
                        "<outputFile>${project.build.directory}/personalize-cluster.jar</outputFile>");
        assertThat(dockerfile()).contains("ARG JAR=flink-jobs/target/personalize-cluster.jar");
    }

    private static String dockerfile() throws IOException {
        return Files.readString(Helm.repositoryRoot().resolve("Dockerfile"));
    }
}
