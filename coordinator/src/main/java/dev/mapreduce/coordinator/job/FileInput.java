package dev.mapreduce.coordinator.job;

import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputPathException;
import dev.mapreduce.engine.input.InputRoot;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fixes a job's file input at submit: the files {@code inputPath} names under the input root
 * (a file, or the regular files directly in a folder, hidden and {@code _} files skipped), cut
 * into splits and grouped into map tasks by {@link FilePlanner}. Each split names its file by its
 * real location relative to the root, so a map worker reads the file that was checked here.
 */
@Component
class FileInput {

    private static final Logger log = LoggerFactory.getLogger(FileInput.class);

    /** The map tasks of a file job, and how many bytes they read in all. */
    record Plan(List<MapInput> tasks, long bytes) {}

    private final InputRoot root;
    private final long splitSize;
    private final ObjectInput objects;

    FileInput(InputSettings settings, ObjectInput objects) {
        this.root = new InputRoot(Path.of(settings.root()));
        this.splitSize = settings.splitSize().toBytes();
        this.objects = objects;
        if (!Files.isDirectory(root.path())) {
            log.warn("the input root {} is not a folder: jobs over files will find nothing", root);
        }
    }

    /** The plan of a caller that may read every input. */
    Plan plan(String inputPath, int numMappers) {
        return plan(inputPath, numMappers, InputGrants.ALL);
    }

    /**
     * Plans the input for a caller with {@code grants}. An input outside them is refused exactly as a
     * missing one, and before anything is looked up, so the answer tells nothing about other
     * tenants' files; a granted folder's links that lead out of the grants read as missing too.
     *
     * @throws InvalidJobException if the path is not a valid relative name or leads outside the root
     * @throws UnreadableInputException if it names nothing that can be read, or nothing granted
     */
    Plan plan(String inputPath, int numMappers, InputGrants grants) {
        if (ObjectPath.isObjectPath(inputPath)) {
            ObjectPath path = ObjectPath.parse(inputPath);
            if (!grants.mayReadObjects(path)) {
                throw ObjectInput.missing(path);
            }
            return objects.plan(path, splitSize, numMappers);
        }
        if (InputRoot.syntaxProblem(inputPath) == null && !grants.mayReadPath(inputPath)) {
            throw missing(inputPath);
        }
        try {
            Path input = root.resolve(inputPath);
            if (!grants.mayReadPath(root.relativize(input))) {
                throw missing(inputPath);
            }
            List<Path> files;
            if (Files.isDirectory(input)) {
                files = new ArrayList<>();
                for (Path file : FileSplitter.listFiles(List.of(input))) {
                    files.add(root.inside(file, inputPath + "/" + file.getFileName()));
                }
            } else if (Files.isRegularFile(input)) {
                files = List.of(input);
            } else {
                throw new UnreadableInputException("inputPath '" + inputPath + "' is neither a file nor a folder");
            }
            Map<Path, String> names = new HashMap<>();
            for (Path file : files) {
                String name = root.relativize(file);
                if (!grants.mayReadPath(name)) {
                    throw missing(inputPath);
                }
                names.put(file, name);
            }
            List<InputSplit> splits = FilePlanner.split(files, splitSize, numMappers);
            return plan(
                    inputPath,
                    splits.stream()
                            .map(s -> new FileSplit(names.get(s.file()), s.start(), s.end(), s.gzip()))
                            .toList(),
                    numMappers);
        } catch (InputPathException e) {
            String problem = e.path().equals(inputPath) ? e.reason() : "holds " + e.path() + ", which " + e.reason();
            throw new InvalidJobException(List.of(new FieldError("inputPath", problem)));
        } catch (NoSuchFileException e) {
            throw missing(inputPath);
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot read input path {} under {}", inputPath, root, e);
            throw new UnreadableInputException("inputPath '" + inputPath + "' cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }

    private static UnreadableInputException missing(String inputPath) {
        return new UnreadableInputException("inputPath '" + inputPath + "' does not exist under the input root");
    }

    /** {@code splits} grouped into map tasks. */
    static Plan plan(String inputPath, List<FileSplit> splits, int numMappers) {
        List<MapInput> tasks = new ArrayList<>();
        for (List<FileSplit> group : FilePlanner.group(splits, FileSplit::length, numMappers)) {
            if (group.size() > FilePlanner.MAX_SPLITS_PER_TASK) {
                throw new UnreadableInputException("inputPath '" + inputPath + "' makes " + splits.size()
                        + " splits, more than " + FilePlanner.MAX_SPLITS_PER_TASK
                        + " per map task: raise numMappers");
            }
            tasks.add(MapInput.ofFiles(group));
        }
        return new Plan(tasks, splits.stream().mapToLong(FileSplit::length).sum());
    }
}
