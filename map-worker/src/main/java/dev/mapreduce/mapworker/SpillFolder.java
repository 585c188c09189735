package dev.mapreduce.mapworker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own spill folder. Attempts delete their spill files when they end, however they
 * end; only a worker that was killed leaves some behind, so a starting worker empties the folder,
 * which no other worker uses.
 */
final class SpillFolder {

    private static final Logger log = LoggerFactory.getLogger(SpillFolder.class);

    private SpillFolder() {}

    /** Creates {@code folder} if missing and deletes everything in it. */
    static void prepare(Path folder) throws IOException {
        Files.createDirectories(folder);
        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                if (path.equals(folder)) {
                    continue;
                }
                if (Files.isRegularFile(path)) {
                    files++;
                    bytes += Files.size(path);
                }
                Files.deleteIfExists(path);
            }
        }
        if (files > 0) {
            log.info("deleted {} spill files ({} bytes) left in {} by an earlier run", files, bytes, folder);
        }
    }
}
