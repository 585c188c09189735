package dev.mapreduce.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the gateway's public API on a random local port: it answers each method and path
 * with the answers the test lined up, in order (the last one repeats), and records every request.
 */
final class FakeGateway implements AutoCloseable {

    /** A request the CLI made; {@code uri} is the raw path and query. */
    record Request(String method, String uri, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Writes a body bit by bit, for answers that must arrive in pieces. */
    interface Stream {
        void write(OutputStream body) throws Exception;
    }

    /** Status, headers and either a body or a stream. */
    record Answer(int status, Map<String, String> headers, String body, Stream stream) {
        static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, null);
        }

        static Answer problem(int status, String title, String detail) {
            return json(
                            status,
                            "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                                    + ",\"detail\":\"" + detail + "\"}")
                    .withHeader("Content-Type", "application/problem+json");
        }

        static Answer empty(int status) {
            return new Answer(status, Map.of(), "", null);
        }

        static Answer streamed(String contentType, Stream stream) {
            return new Answer(200, Map.of("Content-Type", contentType), null, stream);
        }

        Answer withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, Map.copyOf(all), body, stream);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

    FakeGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD path} (no query) with these, one per request, the last one from then on. */
    FakeGateway on(String method, String path, Answer... inOrder) {
        answers.put(method + " " + path, new ArrayDeque<>(List.of(inOrder)));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to {@code METHOD path}, queries included in their uri. */
    List<Request> requests(String method, String path) {
        return requests.stream()
                .filter(r ->
                        r.method().equals(method) && r.uri().split("\\?")[0].equals(path))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String uri = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            requests.add(new Request(exchange.getRequestMethod(), uri, Map.copyOf(headers), body));
            Answer answer = next(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            if (answer.stream() != null) {
                exchange.sendResponseHeaders(answer.status(), 0);
                answer.stream().write(exchange.getResponseBody());
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(e);
        }
    }

    private Answer next(String route) {
        Deque<Answer> queue = answers.get(route);
        if (queue == null) {
            return Answer.problem(404, "Not Found", "no answer set up for " + route);
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }
}
