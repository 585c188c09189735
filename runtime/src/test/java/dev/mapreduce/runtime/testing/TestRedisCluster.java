package dev.mapreduce.runtime.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of {@code masters} masters and no replicas, from the machine's
 * {@code redis-server} in cluster mode on free local ports, its files in a folder of the test's.
 * {@link #close()} stops the servers it started, each by its own process.
 */
public final class TestRedisCluster implements AutoCloseable {

    private final List<Integer> ports;
    private final List<Process> servers;

    private TestRedisCluster(List<Integer> ports, List<Process> servers) {
        this.ports = ports;
        this.servers = servers;
    }

    /** Starts the servers, joins them into one cluster and waits until every node sees all 16384 slots served. */
    public static TestRedisCluster start(Path dir, int masters) throws IOException, InterruptedException {
        List<Integer> free = freePorts(2 * masters);
        List<Integer> ports = free.subList(0, masters);
        List<Process> servers = new ArrayList<>();
        TestRedisCluster cluster = new TestRedisCluster(List.copyOf(ports), servers);
        try {
            for (int i = 0; i < masters; i++) {
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + ports.get(i)));
                servers.add(new ProcessBuilder(
                                "redis-server",
                                "--port",
                                String.valueOf(ports.get(i)),
                                "--cluster-port",
                                String.valueOf(free.get(masters + i)),
                                "--bind",
                                "127.0.0.1",
                                "--cluster-enabled",
                                "yes",
                                "--cluster-config-file",
                                "nodes.conf",
                                "--cluster-node-timeout",
                                "2000",
                                "--dir",
                                nodeDir.toString(),
                                "--save",
                                "",
                                "--appendonly",
                                "no")
                        .redirectErrorStream(true)
                        .redirectOutput(nodeDir.resolve("redis.log").toFile())
                        .start());
            }
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> cli(port, "ping").equals("PONG"));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String output = run(create);
            for (int port : ports) {
                await().atMost(Duration.ofSeconds(30))
                        .alias("node " + port + " sees the cluster ok; redis-cli --cluster create said: " + output)
                        .until(() -> {
                            String info = cli(port, "cluster", "info");
                            return info.contains("cluster_state:ok")
                                    && info.contains("cluster_slots_assigned:16384")
                                    && info.contains("cluster_known_nodes:" + masters);
                        });
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The seed nodes, as {@code REDIS_CLUSTER_NODES} takes them. */
    public String nodes() {
        return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return ports;
    }

    /** A command through {@code redis-cli} to the node on {@code port}; its trimmed output. */
    public static String cli(int port, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        args.addAll(List.of(command));
        return run(args);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroy();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    @Override
    public void close() {
        for (Process server : servers) {
            server.destroy();
        }
        for (Process server : servers) {
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
