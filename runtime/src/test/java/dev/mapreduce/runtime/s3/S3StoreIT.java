package dev.mapreduce.runtime.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.input.ByteRangeSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.runtime.s3.ObjectStoreException.Reason;
import dev.mapreduce.runtime.s3.S3Store.StoredObject;
import dev.mapreduce.runtime.testing.TestS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object store of s3:// inputs against a real S3-compatible server (S3Proxy): what a key, a
 * prefix and a glob list, the errors a submit turns into problem details, and splits read with
 * ranged GETs that give every line exactly once wherever the split boundaries fall.
 */
class S3StoreIT {

    private static final String BUCKET = "store-it";

    private static S3Store store;

    @BeforeAll
    static void upload() {
        try (S3Client s3 = TestS3.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (String key : List.of(
                    "logs/a.log",
                    "logs/b.log.gz",
                    "logs/_SUCCESS",
                    "logs/.hidden",
                    "logs/2026/c.log",
                    "logs/2026/d.txt",
                    "other/e.log")) {
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("line of " + key + "\n"));
            }
        }
        store = new S3Store(TestS3.settings());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aKeyNamesOneObjectAndAPrefixTheVisibleObjectsDirectlyUnderIt() throws IOException {
        assertThat(keys("s3://store-it/logs/a.log")).containsExactly("logs/a.log");
        assertThat(keys("s3://store-it/logs")).containsExactly("logs/a.log", "logs/b.log.gz");
        assertThat(keys("s3://store-it/logs/")).containsExactly("logs/a.log", "logs/b.log.gz");
        assertThat(store.list(ObjectPath.parse("s3://store-it/logs/a.log")))
                .singleElement()
                .extracting(StoredObject::size)
                .isEqualTo((long) "line of logs/a.log\n".length());
    }

    @Test
    void aGlobMatchesKeysWithStarNotCrossingASlash() throws IOException {
        assertThat(keys("s3://store-it/logs/*.log")).containsExactly("logs/a.log");
        assertThat(keys("s3://store-it/logs/*/*.log")).containsExactly("logs/2026/c.log");
        assertThat(keys("s3://store-it/logs/**"))
                .containsExactly("logs/2026/c.log", "logs/2026/d.txt", "logs/a.log", "logs/b.log.gz");
        assertThat(keys("s3://store-it/{logs,other}/?.log")).containsExactly("logs/a.log", "other/e.log");
    }

    @Test
    void aMissingBucketOrNothingUnderAPrefixIsNotFound() {
        assertThatThrownBy(() -> store.list(ObjectPath.parse("s3://no-such-bucket/logs")))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("no-such-bucket");
        assertThatThrownBy(() -> store.list(ObjectPath.parse("s3://store-it/nothing")))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("no objects at s3://store-it/nothing");
        assertThatThrownBy(() -> store.list(ObjectPath.parse("s3://store-it/logs/*.csv")))
                .isInstanceOfSatisfying(
                        ObjectStoreException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void aWrongSecretIsAccessDenied() {
        S3Settings good = TestS3.settings();
        S3Settings wrong = new S3Settings(good.endpoint(), good.region(), true, good.accessKeyId(), "not-the-secret");
        try (S3Store denied = new S3Store(wrong)) {
            assertThatThrownBy(() -> denied.list(ObjectPath.parse("s3://store-it/logs")))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.reason())
                            .isEqualTo(Reason.ACCESS_DENIED))
                    .hasMessageContaining("access denied");
        }
    }

    @Test
    void twoSplitsReadEveryLineOnceWhereverTheBoundaryFalls() throws IOException {
        List<String> lines = List.of("first", "", "a longer line with ünïcode", "x", "last without newline");
        String text = String.join("\n", lines);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        put("cuts/a.log", bytes);
        for (int cut = 0; cut <= bytes.length; cut++) {
            List<String> read = new ArrayList<>();
            read.addAll(read("cuts/a.log", bytes.length, 0, cut));
            read.addAll(read("cuts/a.log", bytes.length, cut, bytes.length));
            assertThat(read).as("cut at byte %d", cut).isEqualTo(lines);
        }
    }

    /** Splits of a 3 MB object read in several ranged GETs each, lines crossing every chunk boundary. */
    @Test
    void splitsLargerThanAChunkReadTheSameLinesAsTheWholeObject(@TempDir Path temp) throws IOException {
        Random random = new Random(3);
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (text.length() < 3_000_000) {
            String line = "line " + lines.size() + " " + "y".repeat(random.nextInt(300));
            lines.add(line);
            text.append(line).append(random.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(temp.resolve("big.log"), bytes);
        TestS3.upload(BUCKET, "big/", List.of(temp.resolve("big.log")));
        List<String> read = new ArrayList<>();
        long size = bytes.length;
        int splits = 5;
        for (int k = 0; k < splits; k++) {
            read.addAll(read("big/big.log", size, size * k / splits, size * (k + 1) / splits));
        }
        assertThat(read).isEqualTo(lines);
    }

    private static List<String> keys(String path) throws IOException {
        return store.list(ObjectPath.parse(path)).stream()
                .map(StoredObject::key)
                .toList();
    }

    private static void put(String key, byte[] bytes) {
        try (S3Client s3 = TestS3.client()) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private static List<String> read(String key, long size, long start, long end) throws IOException {
        List<String> lines = new ArrayList<>();
        new ByteRangeSplit(ObjectPath.uri(BUCKET, key), store.opener(BUCKET, key, size), start, end, false)
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
        return lines;
    }
}
