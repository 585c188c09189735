package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mr(String... args) {
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void badArgumentsPrintOneClearLineAndExitWithStatus2() throws IOException {
        String file = Files.writeString(dir.resolve("x.log"), "line\n").toString();
        assertOneLineError(2, mr("ingest"), "Missing required parameter: 'FILE|FOLDER'");
        assertOneLineError(2, mr("ingest", dir.resolve("nope.log").toString()), "no such file or folder");
        assertOneLineError(2, mr("ingest", "-p", "0", file), "--partitions must be at least 1, got 0");
        assertOneLineError(2, mr("ingest", "--timeout", "0", file), "--timeout must be at least 1, got 0");
        assertOneLineError(
                2, mr("ingest", "--replication-factor", "0", file), "--replication-factor must be at least 1, got 0");
        assertOneLineError(2, mr("ingest", "-t", "no spaces", file), "invalid --topic");
        assertOneLineError(2, mr("ingest", "-b", "not-an-address", file), "invalid bootstrap servers 'not-an-address'");
        assertOneLineError(2, mr("ingest", "--nope", file), "Unknown option: '--nope'");
    }

    @Test
    void badKafkaClientPropertiesAreUsageErrors() throws IOException {
        String file = Files.writeString(dir.resolve("x.log"), "line\n").toString();
        String missing = dir.resolve("missing.properties").toString();
        assertOneLineError(2, mr("ingest", "-X", "novalue", file), "KEY=VALUE");
        assertOneLineError(
                2,
                mr("ingest", "--kafka-properties", missing, file),
                "--kafka-properties " + missing + ": cannot read Kafka client properties: no such file");
        assertOneLineError(2, mr("ingest", "-X", "bootstrap.servers=x:1", file), "set KAFKA_BOOTSTRAP_SERVERS");
        assertOneLineError(
                2,
                mr("ingest", "-b", "127.0.0.1:1", "-X", "security.protocol=NOPE", file),
                "invalid Kafka client settings (bootstrap servers '127.0.0.1:1', properties [security.protocol])");
    }

    @Test
    void anUnreachableBrokerIsOneLineAndStatus1AfterTheTimeout() throws IOException {
        String file = Files.writeString(dir.resolve("x.log"), "line\n").toString();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();

        int code = mr("ingest", "-b", "127.0.0.1:" + closedPort, "--timeout", "1", file);

        assertOneLineError(1, code, "cannot reach Kafka at 127.0.0.1:" + closedPort + " within 1 s");
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(10);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(mr("ingest", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--bootstrap-servers",
                        "--topic",
                        "--partitions",
                        "--create-only",
                        "--if-empty",
                        "--timeout",
                        "-X",
                        "--kafka-properties",
                        "KAFKA_BOOTSTRAP_SERVERS");
    }

    private void assertOneLineError(int expectedCode, int code, String message) {
        assertThat(code).as(err.toString()).isEqualTo(expectedCode);
        assertThat(err.toString()).startsWith("mr: ").contains(message);
        assertThat(err.toString().strip().lines()).hasSize(1);
        err.getBuffer().setLength(0);
    }
}
