package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.Dockerfile.Instruction;
import dev.mapreduce.deploy.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's Dockerfile (module/Dockerfile, the repository root as context): a Maven build stage
 * that can build the module, a JRE runtime stage running the jar Maven makes as a non-root user,
 * with a health check on the actuator at the service's port.
 */
class DockerfilesTest {

    static List<String> services() {
        return Repository.serviceModules();
    }

    private static Dockerfile dockerfile(String module) {
        return Dockerfile.read(module + "/Dockerfile");
    }

    @ParameterizedTest
    @MethodSource("services")
    void buildsInOneStageAndRunsOnAJreInAnother(String module) {
        List<Stage> stages = dockerfile(module).stages();
        assertThat(stages).as("%s/Dockerfile is multi-stage", module).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages.get(0).image()).as("build stage of %s", module).contains("maven");
        assertThat(stages.get(0).name())
                .as("build stage of %s is named", module)
                .isNotBlank();
        assertThat(stages.get(stages.size() - 1).image())
                .as("runtime of %s", module)
                .contains("jre");
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsAsAUserOtherThanRoot(String module) {
        assertThat(dockerfile(module).lastInFinalStage("USER"))
                .as("%s/Dockerfile switches to a user", module)
                .hasValueSatisfying(user -> assertThat(user.arguments().split(":")[0])
                        .as("%s's user", module)
                        .isNotIn("root", "0"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void exposesAndChecksTheActuatorAtTheServicePort(String module) {
        Dockerfile file = dockerfile(module);
        AppSettings settings = AppSettings.of(module);
        assertThat(file.lastInFinalStage("EXPOSE").orElseThrow().arguments())
                .as("%s exposes its port", module)
                .isEqualTo(String.valueOf(settings.port()));
        String port = file.environment().getOrDefault(settings.portVariable(), String.valueOf(settings.port()));
        assertThat(port)
                .as("%s=%s in %s/Dockerfile", settings.portVariable(), port, module)
                .isEqualTo(String.valueOf(settings.port()));
        String check = file.lastInFinalStage("HEALTHCHECK").orElseThrow().arguments();
        assertThat(check).as("%s's health check", module).startsWith("CMD").contains("/actuator/health");
        assertThat(check.contains("${" + settings.portVariable() + "}") || check.contains(":" + settings.port() + "/"))
                .as("%s's health check asks its port (%s): %s", module, settings.portVariable(), check)
                .isTrue();
        assertThat(check.split("\\s+")[1])
                .as("%s's health check tool, which the JRE image has", module)
                .isIn("curl", "wget");
    }

    @ParameterizedTest
    @MethodSource("services")
    void buildsItsModuleAndRunsTheJarMavenMakes(String module) {
        Dockerfile file = dockerfile(module);
        String build = file.stages().get(0).name();
        String mvn = file.all("RUN").stream()
                .filter(i -> i.stage() == 0 && i.arguments().contains("mvn"))
                .map(Instruction::arguments)
                .findFirst()
                .orElseThrow(() -> new AssertionError(module + "/Dockerfile runs no Maven build"));
        assertThat(mvn).as("the build of %s", module).contains("-pl " + module + " ", "-am", "package");
        String jar = Repository.pom(module).jar();
        Instruction copy = file.all("COPY").stream()
                .filter(i -> build.equals(i.flags().get("from")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(module + "/Dockerfile copies nothing from stage " + build));
        List<String> words = copy.words();
        assertThat(words.get(0)).as("%s copies the jar Maven builds", module).endsWith("/" + jar);
        String entrypoint = String.join(
                " ", file.lastInFinalStage("ENTRYPOINT").orElseThrow().words());
        assertThat(entrypoint).as("%s runs the jar it copied", module).contains("-jar " + words.get(1));
        assertThat(entrypoint).as("%s runs java with JAVA_OPTS", module).contains("exec java $JAVA_OPTS");
        assertThat(file.environment().get("JAVA_OPTS"))
                .as("%s sizes its heap by the container's memory", module)
                .contains("-XX:MaxRAMPercentage=");
    }

    @ParameterizedTest
    @MethodSource("services")
    void copiesEveryReactorPomAndTheSourcesItIsBuiltFrom(String module) {
        Set<String> copied = dockerfile(module).all("COPY").stream()
                .filter(i -> i.stage() == 0 && !i.flags().containsKey("from"))
                .map(i -> i.words().get(0))
                .collect(Collectors.toSet());
        assertThat(copied).as("%s/Dockerfile copies the root pom", module).contains("pom.xml");
        for (String m : Repository.modules()) {
            assertThat(copied)
                    .as("%s/Dockerfile copies the reactor's %s/pom.xml", module, m)
                    .contains(m + "/pom.xml");
        }
        for (String m : Repository.withDependencies(module)) {
            assertThat(copied)
                    .as("%s/Dockerfile copies the sources of %s", module, m)
                    .contains(m + "/src");
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyCopiedFileExistsAndIsInTheBuildContext(String module) throws IOException {
        DockerIgnore ignore = DockerIgnore.of(".");
        for (Instruction copy : dockerfile(module).all("COPY")) {
            if (copy.flags().containsKey("from")) {
                continue;
            }
            List<String> words = copy.words();
            for (String source : words.subList(0, words.size() - 1)) {
                Path path = Repository.file(source);
                assertThat(path).as("%s/Dockerfile copies %s", module, source).exists();
                try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String relative = Repository.ROOT.relativize(f).toString();
                        assertThat(ignore.includes(relative))
                                .as("%s, copied by %s/Dockerfile, is left out by .dockerignore", relative, module)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndLocalData() {
        DockerIgnore ignore = DockerIgnore.of(".");
        for (String path : List.of(
                "coordinator/target/coordinator.jar",
                "target/x",
                ".local/kafka/data/meta.properties",
                "data/logs.txt")) {
            assertThat(ignore.includes(path))
                    .as(".dockerignore leaves out %s", path)
                    .isFalse();
        }
    }
}
