package dev.mapreduce.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The training run of the {@code mr} script's class-data-sharing archive: in one JVM, the commands
 * whose classes a start loads (a query on three lines with every kind of aggregate, written as JSON,
 * then a submit to a closed port, which loads the HTTP client and fails at once), so that the JVM
 * writing the archive at its exit has loaded them all. Not a command: {@code java -cp mr.jar
 * dev.mapreduce.cli.CdsTraining FOLDER}.
 */
public final class CdsTraining {

    private static final String QUERY = "SELECT service, date_trunc('minute', timestamp) AS m, count(*) AS n,"
            + " count(DISTINCT regexp_extract(message, 'user (\\d+)', 1)) AS u,"
            + " approx_quantile(CAST(regexp_extract(message, 'in (\\d+) ms', 1) AS BIGINT), 0.95) AS p"
            + " FROM logs WHERE regexp_matches(message, 'in \\d+ ms') GROUP BY 1, 2 ORDER BY n DESC LIMIT 5";

    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path folder = Path.of(args[0]);
        Path input = folder.resolve("in.jsonl");
        Files.writeString(
                input,
                "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"a\",\"message\":\"user 1 done in 5 ms\"}\n"
                        .repeat(3));
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Mr.execute(
                nowhere,
                nowhere,
                Map.of(),
                "local",
                "-i",
                input.toString(),
                "-o",
                folder.resolve("out.json").toString(),
                "--json",
                "--sql",
                QUERY);
        Mr.execute(
                nowhere,
                nowhere,
                Map.of(),
                "query",
                "--gateway",
                "http://127.0.0.1:0",
                "-i",
                "in.jsonl",
                "SELECT level, count(*) FROM logs GROUP BY 1");
    }
}
