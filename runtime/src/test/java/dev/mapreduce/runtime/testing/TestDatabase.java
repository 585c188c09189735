package dev.mapreduce.runtime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A fresh PostgreSQL database with the project's schema (the coordinator's Flyway migrations),
 * on the local server (127.0.0.1:5432, user postgres; override with TEST_POSTGRES_HOST/PORT/USER/
 * PASSWORD). Each call makes a new database, so tests never see each other's rows; its name starts
 * with {@code mr_it_}, or with {@code TEST_DATABASE_PREFIX} when several people share the server.
 */
public final class TestDatabase {

    private static final String HOST = env("TEST_POSTGRES_HOST", "127.0.0.1");
    private static final String PORT = env("TEST_POSTGRES_PORT", "5432");
    public static final String USER = env("TEST_POSTGRES_USER", "postgres");
    public static final String PASSWORD = env("TEST_POSTGRES_PASSWORD", "");
    private static final String PREFIX = env("TEST_DATABASE_PREFIX", "mr_it_");

    private TestDatabase() {}

    /** Creates a database named after {@code purpose}, migrates it, and returns its JDBC URL. */
    public static String create(String purpose) {
        String name = PREFIX + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name), "drop-" + name));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create test database on " + url("postgres") + ": " + e.getMessage(), e);
        }
        String url = url(name);
        Flyway.configure()
                .dataSource(url, USER, PASSWORD)
                .locations("filesystem:" + migrations())
                .load()
                .migrate();
        return url;
    }

    private static void drop(String name) {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** The coordinator's migrations, found from whichever module's folder the test runs in. */
    private static Path migrations() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("coordinator/src/main/resources/db/migration");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find coordinator/src/main/resources/db/migration above " + dir);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
