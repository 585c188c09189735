package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The roles the migrations make for the gateway, the reduce workers and the PostgreSQL exporter, on a real PostgreSQL: each
 * may do what its service does and nothing else (42501 insufficient_privilege), and the coordinator
 * sets their passwords after migrating. The roles connect without a password here: the local
 * PostgreSQL trusts local connections (TEST_POSTGRES_* as for every database test).
 */
class ServiceRolesIT {

    static final String DATABASE = TestDatabase.create("service_roles");
    static final UUID JOB = UUID.randomUUID();

    @BeforeAll
    static void aCompletedJob() throws SQLException {
        try (Connection owner = owner();
                PreparedStatement job = owner.prepareStatement(
                        "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers,"
                                + " map_function, reduce_function, owner) VALUES (?, 'r', 'RUNNING', 't', 1, 1,"
                                + " 'WORD_COUNT', 'SUM', 'acme')")) {
            job.setObject(1, JOB);
            job.executeUpdate();
        }
    }

    @Test
    void theGatewaysRoleReadsJobsAndResultsAndChangesNothing() throws SQLException {
        try (Connection gateway = as(ServiceRoleSettings.GATEWAY)) {
            assertThat(count(gateway, "SELECT count(*) FROM jobs WHERE job_id = '" + JOB + "'"))
                    .isOne();
            assertThat(count(gateway, "SELECT count(*) FROM results")).isZero();
            for (String statement : List.of(
                    "UPDATE jobs SET status = 'CANCELLED' WHERE job_id = '" + JOB + "'",
                    "DELETE FROM jobs",
                    "INSERT INTO results (job_id, result_key, result_value) VALUES ('" + JOB + "', 'k', 1)",
                    "DELETE FROM results",
                    "SELECT count(*) FROM tasks",
                    "SELECT count(*) FROM workers",
                    "DROP TABLE results",
                    "ALTER TABLE jobs ADD COLUMN forged text")) {
                assertRefused(gateway, statement);
            }
        }
    }

    @Test
    void theReduceWorkersRoleWritesResultsAndCommitsButChangesNoJobNorTheSchema() throws SQLException {
        try (Connection worker = as(ServiceRoleSettings.REDUCE_WORKER)) {
            worker.setAutoCommit(false);
            try (Statement s = worker.createStatement()) {
                s.executeUpdate(
                        "INSERT INTO results (job_id, result_key, result_value) VALUES ('" + JOB + "', 'k', 1)");
                s.executeUpdate("INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)"
                        + " VALUES ('" + JOB + "', 0, 1, 'w', 1)");
                try (ResultSet status = s.executeQuery("SELECT status FROM lock_job_for_commit('" + JOB + "')")) {
                    assertThat(status.next()).isTrue();
                    assertThat(status.getString(1)).isEqualTo("RUNNING");
                }
            }
            worker.rollback();
            worker.setAutoCommit(true);
            for (String statement : List.of(
                    "UPDATE jobs SET status = 'COMPLETED' WHERE job_id = '" + JOB + "'",
                    "SELECT status FROM jobs WHERE job_id = '" + JOB + "' FOR SHARE",
                    "UPDATE tasks SET status = 'COMPLETED'",
                    "UPDATE task_attempts SET status = 'RUNNING'",
                    "DELETE FROM results",
                    "DROP TABLE results",
                    "ALTER TABLE results ADD COLUMN forged text",
                    "TRUNCATE results",
                    "CREATE TABLE forged (x int)")) {
                assertRefused(worker, statement);
            }
        }
    }

    @Test
    void theExportersRoleReadsTheStatisticsButNoTableOfOurs() throws SQLException {
        try (Connection monitor = as(ServiceRoleSettings.MONITOR)) {
            assertThat(count(
                            monitor,
                            "SELECT count(*) FROM pg_roles r JOIN pg_auth_members m ON m.roleid = r.oid"
                                    + " WHERE r.rolname = 'pg_monitor' AND m.member = (SELECT oid FROM pg_roles"
                                    + " WHERE rolname = current_user)"))
                    .as("a member of pg_monitor")
                    .isOne();
            // what pg_monitor adds: other sessions' queries, which a plain role sees as "<insufficient privilege>"
            assertThat(count(monitor, "SELECT count(*) FROM pg_stat_activity WHERE query = '<insufficient privilege>'"))
                    .isZero();
            for (String statement : List.of(
                    "SELECT count(*) FROM jobs",
                    "SELECT count(*) FROM results",
                    "UPDATE jobs SET status = 'CANCELLED'",
                    "CREATE TABLE forged (x int)")) {
                assertRefused(monitor, statement);
            }
        }
    }

    @Test
    void afterMigratingTheCoordinatorSetsTheConfiguredPasswordsHashed() throws SQLException {
        String gateway = "gw-" + UUID.randomUUID();
        String worker = "rw-" + UUID.randomUUID();
        String monitor = "mo-" + UUID.randomUUID();
        // as the coordinator's Flyway does at start: the callback runs after the (here: no) migrations
        Flyway.configure()
                .dataSource(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD)
                .locations("filesystem:" + migrations())
                .callbacks(new SetServiceRolePasswords(new ServiceRoleSettings(gateway, worker, monitor)))
                .load()
                .migrate();

        try (Connection owner = owner();
                PreparedStatement s = owner.prepareStatement(
                        "SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN (?, ?, ?) ORDER BY rolname")) {
            s.setString(1, ServiceRoleSettings.GATEWAY);
            s.setString(2, ServiceRoleSettings.REDUCE_WORKER);
            s.setString(3, ServiceRoleSettings.MONITOR);
            try (ResultSet roles = s.executeQuery()) {
                for (int i = 0; i < 3; i++) {
                    assertThat(roles.next()).isTrue();
                    assertThat(roles.getString(2))
                            .as(roles.getString(1))
                            .startsWith("SCRAM-SHA-256$")
                            .doesNotContain(gateway)
                            .doesNotContain(worker)
                            .doesNotContain(monitor);
                }
            }
        }
        assertThat(new ServiceRoleSettings(gateway, " ", monitor).toString())
                .doesNotContain(gateway)
                .doesNotContain(monitor);
    }

    private static void assertRefused(Connection connection, String statement) {
        assertThatThrownBy(() -> {
                    try (Statement s = connection.createStatement()) {
                        s.execute(statement);
                    }
                })
                .as(statement)
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                        .as("%s: %s", statement, e.getMessage())
                        .isEqualTo("42501"));
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(DATABASE, TestDatabase.USER, TestDatabase.PASSWORD);
    }

    private static Connection as(String role) throws SQLException {
        return DriverManager.getConnection(DATABASE, role, "");
    }

    private static Path migrations() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("coordinator/src/main/resources/db/migration");
            if (candidate.toFile().isDirectory()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no coordinator/src/main/resources/db/migration above the working folder");
    }
}
