package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.input.ByteRangeSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.testing.TestS3;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/**
 * A job over {@code s3://} objects, fixed at submit against a real S3-compatible server (S3Proxy):
 * a prefix is cut into splits as a folder is, each naming its object, and what cannot be read is a
 * 4xx problem on {@code inputPath}.
 */
class ObjectInputIT extends ScriptedWorkersTestBase {

    @Test
    void aPrefixIsCutIntoSplitsNamingTheirObjectsAsAFolderIs(@TempDir Path temp) throws Exception {
        String bucket = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> lines = new ArrayList<>();
        StringBuilder a = new StringBuilder();
        for (int i = 0; a.length() < 5 * SPLIT_SIZE; i++) {
            String line = "{\"timestamp\":\"t\",\"level\":\"INFO\",\"service\":\"s\",\"message\":\"line " + i + "\"}";
            a.append(line).append('\n');
            lines.add(line);
        }
        Path plain = Files.writeString(temp.resolve("a.log"), a);
        Path gz = temp.resolve("b.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("gz 1\ngz 2\n".getBytes(StandardCharsets.UTF_8));
        }
        Path marker = Files.writeString(temp.resolve("_SUCCESS"), "not input\n");
        TestS3.upload(bucket, "logs/", List.of(plain, gz, marker));
        lines.addAll(List.of("gz 1", "gz 2"));
        String path = "s3://" + bucket + "/logs/";

        UUID jobId =
                submit("""
                {"jobName":"objects","inputPath":"%s","numMappers":3}""".formatted(path));

        List<List<FileSplit>> tasks = fileTasks(jobId);
        assertThat(tasks).hasSize(3);
        List<FileSplit> splits = tasks.stream().flatMap(List::stream).toList();
        assertThat(splits.stream().filter(s -> !s.gzip())).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo(path + "a.log");
            assertThat(s.length()).isBetween(1L, (long) SPLIT_SIZE);
        });
        assertThat(splits.stream().filter(FileSplit::gzip))
                .containsExactly(new FileSplit(path + "b.log.gz", 0, Files.size(gz), true));
        assertThat(read(splits)).isEqualTo(lines);
        assertThat(job(jobId).get("inputPath")).isEqualTo(path);
    }

    @Test
    void aBadBucketNameIsA400AndAMissingBucketOrNoObjectsA422() {
        TestS3.upload("problems", "", List.of());
        refused("s3://Not_A_Bucket/x", 400, "must name a bucket");
        refused("s3://no-such-bucket/logs/", 422, "no-such-bucket");
        refused("s3://problems/nothing/here", 422, "no objects at s3://problems/nothing/here");
        refused("s3://problems/*.log", 422, "no objects");
    }

    private void refused(String path, int status, String detail) {
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("jobName", "refused", "inputPath", path))
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("inputPath")
                .jsonPath("$.errors[0].message")
                .value(m -> assertThat(m.toString()).contains(detail));
    }

    private Map<?, ?> job(UUID jobId) {
        return client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    private List<List<FileSplit>> fileTasks(UUID jobId) {
        return jdbc
                .queryForList(
                        "SELECT input::text FROM tasks WHERE job_id = ? AND task_type = 'MAP' ORDER BY task_index",
                        String.class,
                        jobId)
                .stream()
                .map(json -> List.of(Messages.decode(json.getBytes(StandardCharsets.UTF_8), FileSplit[].class)))
                .toList();
    }

    /** The lines of {@code splits}, in order, as a map worker reads them from the store. */
    private static List<String> read(List<FileSplit> splits) throws IOException {
        List<String> lines = new ArrayList<>();
        try (S3Store store = new S3Store(TestS3.settings())) {
            for (FileSplit s : splits) {
                ObjectPath object = ObjectPath.parse(s.path());
                long size = store.size(object.bucket(), object.key());
                new ByteRangeSplit(
                                s.path(),
                                store.opener(object.bucket(), object.key(), size),
                                s.start(),
                                s.end(),
                                s.gzip())
                        .forEachLine(new LineHandler() {
                            @Override
                            public void line(byte[] buf, int off, int len) {
                                lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
                            }

                            @Override
                            public void oversizedLine() {
                                throw new AssertionError("no line is oversized");
                            }
                        });
            }
        }
        return lines;
    }
}
