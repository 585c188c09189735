package dev.mapreduce.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Many {@code mr} command lines in one JVM, one after the other, for integration-tests/test-sql.sh:
 * its corpus compares 255 cluster jobs with {@code mr local --sql}, and a JVM start for each cost
 * more than the queries. Each line of standard input (UTF-8) is {@code PREFIX<TAB>ARG<TAB>ARG...}:
 * the command's standard output goes to {@code PREFIX.out}, its standard error to {@code
 * PREFIX.err}, and its exit status to {@code PREFIX.rc}, written last. The command runs as {@code
 * mr} runs it ({@link Mr#execute}), with the same parsing and error handling.
 */
public final class MrBatch {

    private MrBatch() {}

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int failed = 0;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String prefix = fields[0];
            int rc;
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(prefix + ".out")));
                    PrintWriter err = new PrintWriter(Files.newBufferedWriter(Path.of(prefix + ".err")))) {
                rc = Mr.execute(out, err, Arrays.copyOfRange(fields, 1, fields.length));
            }
            Files.writeString(Path.of(prefix + ".rc"), rc + "\n");
            failed += rc == 0 ? 0 : 1;
        }
        System.err.printf("mr-batch: %d command(s) failed%n", failed);
    }
}
