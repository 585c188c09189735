package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputRootTest {

    @TempDir
    Path temp;

    Path root;
    InputRoot input;

    @BeforeEach
    void root() throws Exception {
        root = Files.createDirectories(temp.resolve("root"));
        Files.createDirectories(root.resolve("logs"));
        Files.writeString(root.resolve("logs/a.log"), "a\n");
        Files.writeString(temp.resolve("secret.log"), "secret\n");
        input = new InputRoot(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"logs/a.log", "logs", "./logs/a.log", "logs//a.log", ".", "%2e%2e", "a..b/..c", "x/y.."})
    void relativeNamesWithoutDotDotSegmentsAreValid(String path) {
        assertThat(InputRoot.syntaxProblem(path)).isNull();
    }

    @Test
    void traversalAbsolutePathsBackslashesAndControlCharactersAreRefusedByName() {
        assertThat(InputRoot.syntaxProblem("../x")).isEqualTo("must not contain a .. segment");
        assertThat(InputRoot.syntaxProblem("a/../../x")).isEqualTo("must not contain a .. segment");
        assertThat(InputRoot.syntaxProblem("logs/..")).isEqualTo("must not contain a .. segment");
        assertThat(InputRoot.syntaxProblem("/etc/passwd"))
                .isEqualTo("must be relative to the input root, not absolute");
        assertThat(InputRoot.syntaxProblem("C:/Windows")).isEqualTo("must be relative to the input root, not absolute");
        assertThat(InputRoot.syntaxProblem("..\\x")).isEqualTo("must separate folders with /, not \\");
        assertThat(InputRoot.syntaxProblem("logs\\a.log")).isEqualTo("must separate folders with /, not \\");
        assertThat(InputRoot.syntaxProblem("a\u0000b")).isEqualTo("must not contain control characters");
        assertThat(InputRoot.syntaxProblem("a\nb")).isEqualTo("must not contain control characters");
        assertThat(InputRoot.syntaxProblem("")).isEqualTo("must not be empty");
        assertThat(InputRoot.syntaxProblem("a".repeat(1025))).isEqualTo("must be at most 1024 characters");
        assertThat(InputRoot.syntaxProblem("a".repeat(1024))).isNull();
    }

    @Test
    void aFileUnderTheRootResolvesToItsRealLocation() throws Exception {
        assertThat(input.resolve("logs/a.log"))
                .isEqualTo(root.resolve("logs/a.log").toRealPath());
        assertThat(input.resolve("./logs//a.log"))
                .isEqualTo(root.resolve("logs/a.log").toRealPath());
        assertThat(input.relativize(input.resolve("logs/a.log"))).isEqualTo("logs/a.log");
        assertThat(input.relativize(input.resolve("."))).isEqualTo(".");
    }

    @Test
    void traversalIsRefusedBeforeTheFileSystemIsAsked() {
        assertThatThrownBy(() -> input.resolve("../secret.log"))
                .isInstanceOf(InputPathException.class)
                .hasMessage("input path '../secret.log' must not contain a .. segment");
        assertThatThrownBy(() -> input.resolve("logs/../../secret.log")).isInstanceOf(InputPathException.class);
        assertThatThrownBy(() -> input.resolve(temp.resolve("secret.log").toString()))
                .isInstanceOf(InputPathException.class)
                .hasMessageEndingWith("must be relative to the input root, not absolute");
        assertThatThrownBy(() -> input.resolve("/etc/passwd")).isInstanceOf(InputPathException.class);
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("logs/out.log"), temp.resolve("secret.log"));
        Files.createSymbolicLink(root.resolve("outside"), temp);

        assertThatThrownBy(() -> input.resolve("logs/out.log"))
                .isInstanceOf(InputPathException.class)
                .hasMessage("input path 'logs/out.log' leads outside the input root");
        assertThatThrownBy(() -> input.resolve("outside/secret.log"))
                .isInstanceOf(InputPathException.class)
                .hasMessage("input path 'outside/secret.log' leads outside the input root");
    }

    @Test
    void aSymbolicLinkWithinTheRootIsFollowed() throws Exception {
        Files.createSymbolicLink(root.resolve("latest"), root.resolve("logs"));

        assertThat(input.resolve("latest/a.log"))
                .isEqualTo(root.resolve("logs/a.log").toRealPath());
    }

    @Test
    void aRootReachedThroughASymbolicLinkStillContainsItsFiles() throws Exception {
        Path link = Files.createSymbolicLink(temp.resolve("root-link"), root);

        InputRoot viaLink = new InputRoot(link);

        assertThat(viaLink.resolve("logs/a.log"))
                .isEqualTo(root.resolve("logs/a.log").toRealPath());
        assertThat(viaLink.relativize(viaLink.resolve("logs/a.log"))).isEqualTo("logs/a.log");
    }

    @Test
    void aSiblingFolderWhoseNameStartsLikeTheRootIsOutside() throws Exception {
        Path sibling = Files.createDirectories(temp.resolve("root-other"));
        Files.writeString(sibling.resolve("x.log"), "x\n");
        Files.createSymbolicLink(root.resolve("sib"), sibling);

        assertThatThrownBy(() -> input.resolve("sib/x.log")).isInstanceOf(InputPathException.class);
    }

    @Test
    void percentEncodedDotsAreJustAName() throws Exception {
        Files.createDirectories(root.resolve("%2e%2e"));
        Files.writeString(root.resolve("%2e%2e/x.log"), "x\n");

        assertThat(input.resolve("%2e%2e/x.log"))
                .isEqualTo(root.resolve("%2e%2e/x.log").toRealPath());
        assertThatThrownBy(() -> input.resolve("%2e%2e/secret.log")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aMissingPathOrRootIsNoSuchFile() {
        assertThatThrownBy(() -> input.resolve("logs/b.log")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> new InputRoot(temp.resolve("absent")).resolve("logs"))
                .isInstanceOf(NoSuchFileException.class);
    }
}
