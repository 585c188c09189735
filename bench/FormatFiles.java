import dev.mapreduce.testing.FormatGen;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Writes one file per format of FormatGen's lines, for bench/formats.sh:
 * java -cp common/target/test-classes bench/FormatFiles.java OUT_DIR LINES
 */
public class FormatFiles {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int lines = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        write(dir.resolve("access.log"), lines, g -> g.access(true).text(), null);
        write(dir.resolve("syslog5424.log"), lines, g -> g.syslog5424().text(), null);
        write(dir.resolve("logfmt.log"), lines, g -> g.logfmt().text(), null);
        write(dir.resolve("ecs.jsonl"), lines, g -> g.ecsJson().text(), null);
        write(dir.resolve("events.csv"), lines, g -> g.csv(',').text(), "time,user,action,amount,note");
        write(dir.resolve("app.log"), lines, g -> g.log4j().text(), null);
    }

    static void write(Path file, int lines, Function<FormatGen, String> line, String header) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        FormatGen gen = new FormatGen(42);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (header != null) {
                w.write(header);
                w.write('\n');
            }
            for (int i = 0; i < lines; i++) {
                w.write(line.apply(gen));
                w.write('\n');
            }
        }
    }
}
