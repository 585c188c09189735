import dev.mapreduce.testing.FormatGen;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * One file per format and preset, of FormatGen's realistic lines, with a line that is not in the
 * format every 997 lines, for test-formats.sh (the cluster and mr local must give the same rows and
 * malformed counts):
 *
 * <pre>java -cp common/target/test-classes integration-tests/FormatSamples.java OUT_DIR LINES</pre>
 */
public class FormatSamples {

    static final String NOT_IN_FORMAT = "a line that is in no log format at all";

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int lines = Integer.parseInt(args[1]);
        write(dir, "apache_common", lines, g -> g.access(false).text(), null);
        write(dir, "apache_combined", lines, g -> g.access(true).text(), null);
        write(dir, "apache_error", lines, g -> g.apacheError().text(), null);
        write(dir, "syslog_rfc3164", lines, g -> g.syslog3164(2026).text(), null);
        write(dir, "syslog_rfc5424", lines, g -> g.syslog5424().text(), null);
        write(dir, "log4j", lines, g -> g.log4j().text(), null);
        write(dir, "logfmt", lines, g -> g.logfmt().text(), null);
        write(dir, "ecs_json", lines, g -> g.ecsJson().text(), null);
        write(dir, "csv", lines, g -> g.csv(',').text(), "time,user,action,amount,note");
        write(dir, "tsv", lines, g -> g.csv('\t').text(), "time\tuser\taction\tamount\tnote");
    }

    static void write(Path dir, String name, int lines, Function<FormatGen, String> line, String header)
            throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        FormatGen gen = new FormatGen(name.hashCode());
        try (BufferedWriter w = Files.newBufferedWriter(folder.resolve(name + ".log"), StandardCharsets.UTF_8)) {
            if (header != null) {
                w.write(header);
                w.write('\n');
            }
            for (int i = 1; i <= lines; i++) {
                // log4j: a line not starting an event continues the one before, so it is never malformed there
                w.write(i % 997 == 0 && !name.equals("log4j") ? NOT_IN_FORMAT : line.apply(gen));
                w.write('\n');
            }
        }
    }
}
