package dev.mapreduce.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

    /** A request the gateway made. */
    public record Request(String method, String path, String contentType, String body) {}

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
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body));
            CountDownLatch hanging = hang;
            if (hanging != null) {
                hanging.await(60, TimeUnit.SECONDS);
                return;
            }
            Answer current = answer;
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
