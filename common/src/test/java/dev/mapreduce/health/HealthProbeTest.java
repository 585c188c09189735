package dev.mapreduce.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serving(int code, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/health", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/actuator/health");
    }

    @Test
    void aServiceThatIsUpPasses() throws IOException {
        assertThat(HealthProbe.check(serving(200, "{\"groups\":[\"liveness\"],\"status\":\"UP\"}")))
                .isZero();
    }

    @Test
    void aServiceThatIsDownFails() throws IOException {
        assertThat(HealthProbe.check(serving(503, "{\"status\":\"DOWN\"}"))).isEqualTo(1);
    }

    @Test
    void anAnswerWithoutStatusUpFails() throws IOException {
        assertThat(HealthProbe.check(serving(200, "{\"status\":\"OUT_OF_SERVICE\"}")))
                .isEqualTo(1);
    }

    @Test
    void aPortNobodyListensOnFails() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(HealthProbe.check(URI.create("http://127.0.0.1:" + port + "/actuator/health")))
                .isEqualTo(1);
    }
}
