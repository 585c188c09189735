package dev.mapreduce.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Requests Tomcat refuses before the application sees them, and bodies the application never
 * accepts, still get problem details: never Tomcat's HTML page, never a 500.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ContainerErrorsIT {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(
            strings = {"/api/jobs/..%2f..%2fetc%2fpasswd", "/api/jobs/%00", "/api/jobs/a%00b/tasks", "/api/%2e%2e%2f"})
    void aPathTomcatRefusesIsA400ProblemDetail(String path) throws Exception {
        String response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 4");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
        assertThat(response).doesNotContain("<html").contains("\"status\":4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=x", "multipart/mixed"})
    void aMultipartBodyIsA415ProblemDetail(String contentType) throws Exception {
        String body = "--x\r\nContent-Disposition: form-data; name=\"jobName\"\r\n\r\nx\r\n--x--\r\n";
        String response = raw("POST /api/jobs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + contentType + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        assertThat(response).startsWith("HTTP/1.1 415");
        assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
    }

    /** Sends {@code request} as written (no client library would send some of these paths) and reads the answer. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
