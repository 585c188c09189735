package dev.mapreduce.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the coordinator's internal API on a random local port: it records every request
 * and gives the answer the test set up.
 */
public final class FakeCoordinator implements AutoCloseable {

    /** A request the gateway made: {@code query} raw (null if none), headers by lowercase name (first value). */
    public record Request(
            String method, String path, String query, String contentType, String body, Map<String, String> headers) {

        /** The decoded query parameters, in order (last value of a repeated one). */
        public Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            if (query != null) {
                for (String pair : query.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    parameters.put(
                            URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            return parameters;
        }
    }

    /** An answer to give: status, content type (or null) and body, plus extra headers. */
    public record Answer(int status, String contentType, String body, Map<String, String> headers) {
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer = new Answer(500, "text/plain", "no answer set up");
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile CountDownLatch hang;

    private FakeCoordinator(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeCoordinator start() {
        return startOn(0);
    }

    /** Starts on this port (0: any free one), e.g. to bring back a coordinator that was stopped. */
    public static FakeCoordinator startOn(int port) {
        try {
            return new FakeCoordinator(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers every request with this from now on. */
    public void answer(int status, String contentType, String body) {
        answer(new Answer(status, contentType, body));
    }

    public void answer(Answer answer) {
        this.answer = answer;
        this.hang = null;
    }

    /** Answers requests of this method and path with this from now on, whatever the default answer. */
    public void answer(String method, String path, Answer answer) {
        answers.put(method + " " + path, answer);
    }

    /** Answers nothing until {@link #reset()}, as a coordinator stuck in a long pause would. */
    public void hang() {
        this.hang = new CountDownLatch(1);
    }

    /** Forgets the requests and the answer, and lets hanging requests go. */
    public void reset() {
        CountDownLatch hanging = hang;
        if (hanging != null) {
            hanging.countDown();
        }
        hang = null;
        requests.clear();
        answers.clear();
        answer = new Answer(500, "text/plain", "no answer set up");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Stops listening: connecting to its port is refused from now on. */
    @Override
    public void close() {
        reset();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(
                    method,
                    path,
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body,
                    headers));
            CountDownLatch hanging = hang;
            if (hanging != null) {
                hanging.await(60, TimeUnit.SECONDS);
                return;
            }
            Answer current = answers.getOrDefault(method + " " + path, answer);
            byte[] bytes = current.body().getBytes(StandardCharsets.UTF_8);
            if (current.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", current.contentType());
            }
            current.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(current.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
