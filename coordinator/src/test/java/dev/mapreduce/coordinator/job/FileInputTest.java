package dev.mapreduce.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest.FieldError;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/** A job's input path: what it may name under the root, and the map tasks it becomes. */
class FileInputTest {

    @TempDir
    Path temp;

    Path root;
    FileInput input;

    @BeforeEach
    void root() throws IOException {
        root = Files.createDirectories(temp.resolve("data"));
        Files.createDirectories(root.resolve("logs"));
        Files.writeString(root.resolve("logs/a.log"), "a1\na2\n");
        Files.writeString(root.resolve("logs/b.log"), "b1\n");
        Files.writeString(root.resolve("logs/.hidden"), "h\n");
        Files.writeString(root.resolve("logs/_SUCCESS"), "");
        Files.writeString(temp.resolve("secret.log"), "secret\n");
        input = new FileInput(
                new InputSettings(root.toString(), DataSize.ofMegabytes(64)),
                new ObjectInput(new S3Store(S3Settings.defaults())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.log", "logs/../../secret.log", "/etc/passwd", "..", "logs\\..\\..\\x"})
    void aPathOutOfTheRootIsA400OnInputPath(String path) {
        InvalidJobException e = catchThrowableOfType(InvalidJobException.class, () -> input.plan(path, 2));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("inputPath");
    }

    @Test
    void anAbsolutePathIntoTheRootIsRefusedToo() {
        InvalidJobException e = catchThrowableOfType(
                InvalidJobException.class, () -> input.plan(root.resolve("logs").toString(), 2));

        assertThat(e.errors())
                .containsExactly(new FieldError("inputPath", "must be relative to the input root, not absolute"));
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsA400() throws IOException {
        Files.createSymbolicLink(root.resolve("escape.log"), temp.resolve("secret.log"));

        InvalidJobException e = catchThrowableOfType(InvalidJobException.class, () -> input.plan("escape.log", 2));

        assertThat(e.errors()).containsExactly(new FieldError("inputPath", "leads outside the input root"));
    }

    @Test
    void aFolderHoldingALinkOutOfTheRootIsA400NamingTheLink() throws IOException {
        Files.createSymbolicLink(root.resolve("logs/c.log"), temp.resolve("secret.log"));

        InvalidJobException e = catchThrowableOfType(InvalidJobException.class, () -> input.plan("logs", 2));

        assertThat(e.errors())
                .containsExactly(new FieldError("inputPath", "holds logs/c.log, which leads outside the input root"));
    }

    @Test
    void aPathThatDoesNotExistIsUnreadableNotInvalid() {
        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("logs/none.log", 2)))
                .hasMessage("inputPath 'logs/none.log' does not exist under the input root");
        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("%2e%2e/secret.log", 2)))
                .hasMessage("inputPath '%2e%2e/secret.log' does not exist under the input root");
    }

    @Test
    void aFolderIsItsVisibleFilesEachNamedRelativeToTheRoot() {
        FileInput.Plan plan = input.plan("logs", 4);

        assertThat(plan.tasks())
                .extracting(MapInput::files)
                .containsExactly(
                        List.of(new FileSplit("logs/a.log", 0, 6, false)),
                        List.of(new FileSplit("logs/b.log", 0, 3, false)));
        assertThat(plan.bytes()).isEqualTo(9);
        assertThat(plan.tasks().get(0).describe(null)).isEqualTo("logs/a.log[0-6]");
    }

    @Test
    void aLinkInsideTheRootIsNamedByWhereItLeads() throws IOException {
        Files.createSymbolicLink(root.resolve("latest"), root.resolve("logs"));

        FileInput.Plan plan = input.plan("latest/b.log", 4);

        assertThat(plan.tasks())
                .extracting(MapInput::files)
                .containsExactly(List.of(new FileSplit("logs/b.log", 0, 3, false)));
    }

    @Test
    void anEmptyFolderIsOneTaskWithNothingToRead() throws IOException {
        Files.createDirectories(root.resolve("empty"));

        FileInput.Plan plan = input.plan("empty", 4);

        assertThat(plan.tasks()).extracting(MapInput::files).containsExactly(List.of());
        assertThat(plan.bytes()).isZero();
    }

    @Test
    void aMissingRootFindsNothing() {
        FileInput nowhere = new FileInput(
                new InputSettings(temp.resolve("absent").toString(), DataSize.ofMegabytes(64)),
                new ObjectInput(new S3Store(S3Settings.defaults())));

        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> nowhere.plan("logs", 2)))
                .hasMessage("inputPath 'logs' does not exist under the input root");
    }

    @Test
    void aPathOutsideTheGrantsIsRefusedWithTheWordsOfAMissingOne() {
        InputGrants grants = InputGrants.parse("path:mine");

        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("logs/a.log", 2, grants)))
                .hasMessage("inputPath 'logs/a.log' does not exist under the input root");
        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("logs/none.log", 2)))
                .hasMessage("inputPath 'logs/none.log' does not exist under the input root");
        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("logs", 2, grants)))
                .hasMessage("inputPath 'logs' does not exist under the input root");
    }

    @Test
    void aLinkInAGrantedFolderGrantsNothingOutsideIt() throws IOException {
        Files.createDirectories(root.resolve("mine"));
        Files.writeString(root.resolve("mine/own.log"), "own\n");
        InputGrants grants = InputGrants.parse("path:mine");
        assertThat(input.plan("mine", 2, grants).tasks()).isNotEmpty();

        Files.createSymbolicLink(root.resolve("mine/theirs.log"), root.resolve("logs/a.log"));

        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("mine", 2, grants)))
                .hasMessage("inputPath 'mine' does not exist under the input root");
        assertThat(catchThrowableOfType(UnreadableInputException.class, () -> input.plan("mine/theirs.log", 2, grants)))
                .hasMessage("inputPath 'mine/theirs.log' does not exist under the input root");
        assertThat(input.plan("mine/theirs.log", 2).tasks())
                .as("every path, for an admin")
                .isNotEmpty();
    }
}
