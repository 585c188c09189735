package dev.mapreduce.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The container health check of the services' images, which have a JRE but no curl or wget (recent
 * Temurin images dropped curl): asks the service's {@code /actuator/health} on 127.0.0.1 and exits 0
 * when it answers 200 with status UP, 1 otherwise.
 *
 * <pre>
 * java -cp @/app/jib-classpath-file dev.mapreduce.health.HealthProbe COORDINATOR_PORT 8080
 * </pre>
 *
 * The port is the value of the named environment variable (the one the service reads), else the
 * default given. Only {@code java.base}: the check's JVM starts in well under a second.
 */
public final class HealthProbe {

    private static final int TIMEOUT_MILLIS = 3_000;

    private HealthProbe() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: HealthProbe PORT_VARIABLE DEFAULT_PORT");
            System.exit(2);
        }
        String port = System.getenv().getOrDefault(args[0], args[1]);
        int status = check(URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        System.exit(status);
    }

    /** 0 when {@code health} answers 200 with {@code "status":"UP"}, else 1 (a line on stderr says why). */
    static int check(URI health) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) health.toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            int code = connection.getResponseCode();
            String body;
            try (InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                body = in == null ? "" : new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            if (code == 200 && body.replace(" ", "").contains("\"status\":\"UP\"")) {
                return 0;
            }
            System.err.println(health + " answered " + code + ": " + abbreviate(body));
            return 1;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(health + ": " + e);
            return 1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
