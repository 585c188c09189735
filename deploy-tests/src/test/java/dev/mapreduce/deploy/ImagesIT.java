package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ImageRules.Expected;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The images Jib built of our services (target/jib-image.tar of each service module, written by
 * {@code ./mvnw -Pimages package}; CI: .ci/run), opened and checked against ImageRules.
 */
class ImagesIT {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

    static List<String> services() {
        return Repository.serviceModules();
    }

    @ParameterizedTest
    @MethodSource("services")
    void theImageJibBuiltIsRight(String module) {
        Path tarball = Repository.file(module + "/target/jib-image.tar");
        assertThat(tarball)
                .as("%s's image (build it with ./mvnw -Pimages package)", module)
                .isRegularFile();
        Expected expected = new Expected(
                Repository.image(module),
                Repository.version(),
                AppSettings.of(module).port(),
                mainClass(module));
        assertThat(ImageRules.problems(ImageTar.read(tarball), expected))
                .as("what is wrong with %s's image %s", module, tarball)
                .isEmpty();
    }

    /** The class of the module that starts its Spring application. */
    private static String mainClass(String module) {
        try (Stream<Path> sources = Files.walk(Repository.file(module + "/src/main/java"))) {
            List<String> mains = sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains("SpringApplication.run("))
                    .map(p -> {
                        Matcher m = PACKAGE.matcher(read(p));
                        String name = p.getFileName().toString().replace(".java", "");
                        return m.find() ? m.group(1) + "." + name : name;
                    })
                    .toList();
            assertThat(mains).as("%s's main classes", module).hasSize(1);
            return mains.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
