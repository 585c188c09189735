package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** DNS rebinding: a gateway on loopback without keys answers only requests for its loopback names. */
class HostCheckIT {

    /** The default: no keys, listening on 127.0.0.1. */
    @Nested
    @SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
    class WithoutKeysOnLoopback {

        @LocalServerPort
        int port;

        @ParameterizedTest
        @ValueSource(strings = {"attacker.example", "attacker.example:%d", "127.0.0.1.nip.io:%d", "0.0.0.0:%d"})
        void aForeignHostIsA400Problem(String host) throws IOException {
            String answer = get(port, host.formatted(port), "/api/functions");

            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json", "Host not allowed");
        }

        @Test
        void theDashboardAndTheActuatorAreCheckedToo() throws IOException {
            assertThat(get(port, "attacker.example", "/")).startsWith("HTTP/1.1 400");
            assertThat(get(port, "attacker.example", "/actuator/prometheus")).startsWith("HTTP/1.1 400");
        }

        @ParameterizedTest
        @ValueSource(strings = {"localhost:%d", "127.0.0.1:%d", "[::1]:%d", "LOCALHOST", "localhost.:%d"})
        void loopbackNamesPass(String host) throws IOException {
            assertThat(get(port, host.formatted(port), "/api/functions")).startsWith("HTTP/1.1 200");
        }
    }

    /** With keys the key is the defence; the names set in MAPREDUCE_ALLOWED_HOSTS are checked anyway. */
    @Nested
    @SpringBootTest(
            webEnvironment = WebEnvironment.RANDOM_PORT,
            properties = {
                "mapreduce.gateway.api-keys=acme:acme-key-0123456789",
                "mapreduce.gateway.allowed-hosts=mr.example.org, gateway"
            })
    class WithAllowedHosts {

        @LocalServerPort
        int port;

        @Test
        void theConfiguredNamesAndLoopbackPassAndOthersDoNot() throws IOException {
            assertThat(get(port, "mr.example.org:443", "/actuator/health")).doesNotStartWith("HTTP/1.1 400");
            assertThat(get(port, "gateway:8090", "/actuator/health")).doesNotStartWith("HTTP/1.1 400");
            assertThat(get(port, "localhost", "/actuator/health")).doesNotStartWith("HTTP/1.1 400");
            assertThat(get(port, "attacker.example", "/actuator/health")).startsWith("HTTP/1.1 400");
        }
    }

    /** One HTTP/1.1 GET with the given Host header (java.net.http will not send a Host of our choosing). */
    static String get(int port, String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
