package dev.mapreduce.runtime.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} of the test's own, never the shared one: {@link #start()} one that
 * wants credentials ({@code requirepass} for the default user, and an ACL user allowed every command
 * on every key), {@link #withoutPassword} one a test may fill up, pause or make a replica. It listens
 * on the first free port of 16390-16399 (or any free one), keeps nothing on disk, and {@link #close()}
 * stops it by its own process.
 */
public final class TestRedisServer implements AutoCloseable {

    public static final String PASSWORD = "default-user-password-for-tests";
    public static final String USER = "mapreduce-it";
    public static final String USER_PASSWORD = "acl-user-password-for-tests";

    private final Process process;
    private final int port;
    private final String password;

    private TestRedisServer(Process process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    /** One that wants {@link #PASSWORD} of the default user, or {@link #USER} with {@link #USER_PASSWORD}. */
    public static TestRedisServer start() {
        return start(
                PASSWORD,
                "--requirepass",
                PASSWORD,
                // one argument per word: redis-server would read a quoted line as one user name
                "--user",
                USER,
                "on",
                ">" + USER_PASSWORD,
                "~*",
                "&*",
                "+@all");
    }

    /** One that wants no credentials, started with {@code options} as well ({@code "--maxmemory-policy", ...}). */
    public static TestRedisServer withoutPassword(String... options) {
        return start(null, options);
    }

    /** Whether {@code redis-server} is on the PATH: a test that needs one of its own assumes it. */
    public static boolean installed() {
        String path = System.getenv("PATH");
        return path != null
                && Arrays.stream(path.split(File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
    }

    private static TestRedisServer start(String password, String... options) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no"));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            TestRedisServer server = new TestRedisServer(process, port, password);
            try {
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> server.cli("PING")
                        .equals("PONG"));
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}: no credentials in it. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** A command as the default user, with its password if it has one; the trimmed answer. */
    public String cli(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        if (password != null) {
            args.addAll(List.of("--no-auth-warning", "-a", password));
        }
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli did not answer");
        }
        return out;
    }

    private static int freePort() {
        for (int port = 16390; port <= 16399; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: the next
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
