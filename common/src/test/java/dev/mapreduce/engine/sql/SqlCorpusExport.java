package dev.mapreduce.engine.sql;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mapreduce.engine.format.FormatSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@link SqlCorpusTest}'s exact queries and data for integration-tests/test-sql.sh, which runs
 * each query in each format as a cluster job and compares it with {@code mr local --sql} (itself
 * compared with DuckDB by SqlCorpusTest on the same data): in OUT_DIR, a folder per format
 * ({@code default}, {@code ecs}, {@code json}) holding {@code logs.jsonl} (LINES events of seed 42, as
 * SqlCorpusTest writes them), and {@code formats.tsv} (folder, then the {@code --format} to read it
 * with) and {@code queries.txt} (one query per line).
 *
 * <pre>java -cp common/target/test-classes:common/target/classes:DEPENDENCIES dev.mapreduce.engine.sql.SqlCorpusExport OUT_DIR [LINES]</pre>
 */
public final class SqlCorpusExport {

    private SqlCorpusExport() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        JsonMapper json = JsonMapper.builder()
                .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        List<String> formats = new ArrayList<>();
        for (CorpusData.Shape shape : CorpusData.Shape.values()) {
            String name = shape.name().toLowerCase(Locale.ROOT);
            CorpusData.write(Files.createDirectories(dir.resolve(name)).resolve("logs.jsonl"), lines, 42, shape);
            FormatSpec format = SqlCorpusTest.format(shape);
            formats.add(name + "\t" + json.writeValueAsString(format));
        }
        Files.write(dir.resolve("formats.tsv"), formats);
        List<String> queries = SqlCorpusTest.exact().toList();
        for (String q : queries) {
            if (q.contains("\n")) {
                throw new IllegalStateException("a corpus query spans lines: " + q);
            }
        }
        Files.write(dir.resolve("queries.txt"), queries);
    }
}
