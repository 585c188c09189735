package dev.mapreduce.coordinator.leader;

import dev.mapreduce.coordinator.DatabaseTimeouts;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.event.TaskEventListener;
import dev.mapreduce.coordinator.job.JobStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One coordinator leads: the one holding a PostgreSQL session advisory lock, on a connection of
 * its own. PostgreSQL releases the lock when that session ends (the process died, or lost the
 * database, or stopped answering TCP keepalives), and a standby, trying every second, takes over.
 * A leader whose task event consumer stopped gives the lock up itself, and leaves it to the
 * standbys for a while. Only the leader applies task events and runs the monitor; every replica
 * serves the internal API.
 */
@Component
public class LeaderElection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
    private static final long LOCK_KEY = 0x6d61707265647563L; // "mapreduc"
    /** How long a coordinator that gave the leadership up waits before it tries to lead again. */
    static final Duration STEP_DOWN_PAUSE = Duration.ofSeconds(5);
    /** The lock session's server-side settings: TCP keepalives (a dead leader's session is dropped) and timeouts. */
    private static final String SESSION_SETTINGS = "SELECT set_config('tcp_keepalives_idle', ?, false),"
            + " set_config('tcp_keepalives_interval', ?, false), set_config('tcp_keepalives_count', '3', false),"
            + " set_config('tcp_user_timeout', ?, false), set_config('lock_timeout', ?, false),"
            + " set_config('statement_timeout', ?, false)";

    private final TaskEventListener listener;
    private final Scheduler scheduler;
    private final JobStore store;
    private final TransactionTemplate tx;
    private final SchedulerSettings settings;
    private final DatabaseTimeouts timeouts;
    private final String url;
    private final String user;
    private final String password;
    private final String instance;
    private volatile boolean running;
    private volatile boolean leader;
    private Thread thread;
    private Connection lockConnection;

    LeaderElection(
            TaskEventListener listener,
            Scheduler scheduler,
            JobStore store,
            TransactionTemplate tx,
            SchedulerSettings settings,
            DatabaseTimeouts timeouts,
            @Value("${spring.datasource.url}") String url,
            @Value("${spring.datasource.username:}") String user,
            @Value("${spring.datasource.password:}") String password,
            @Value("${mapreduce.coordinator-id:}") String instance) {
        this.listener = listener;
        this.scheduler = scheduler;
        this.store = store;
        this.tx = tx;
        this.settings = settings;
        this.timeouts = timeouts;
        this.url = url;
        this.user = user;
        this.password = password;
        this.instance = instance == null || instance.isBlank()
                ? "coordinator-" + ProcessHandle.current().pid() + "-"
                        + UUID.randomUUID().toString().substring(0, 4)
                : instance;
    }

    public boolean isLeader() {
        return leader;
    }

    public String instance() {
        return instance;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "leader-election");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long lastMonitor = 0;
        long pausedUntil = System.nanoTime();
        while (running) {
            try {
                if (!leader) {
                    if (System.nanoTime() - pausedUntil >= 0 && tryLock()) {
                        becomeLeader();
                    }
                } else if (!stillHoldsLock()) {
                    log.warn("{} lost the leadership (its database session ended)", instance);
                    stepDown();
                } else if (!listener.isHealthy()) {
                    log.error(
                            "{} gives the leadership up: its task event consumer stopped; trying again in {} s",
                            instance,
                            STEP_DOWN_PAUSE.toSeconds());
                    stepDown();
                    pausedUntil = System.nanoTime() + STEP_DOWN_PAUSE.toNanos();
                }
                if (leader
                        && System.nanoTime() - lastMonitor
                                >= settings.monitorInterval().toNanos()) {
                    lastMonitor = System.nanoTime();
                    try {
                        scheduler.monitor();
                    } catch (RuntimeException e) {
                        log.warn("monitor pass failed: {}", e.getMessage());
                    }
                }
                Thread.sleep(leader ? Math.max(50, settings.monitorInterval().toMillis()) : 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("leader election: {}", e.getMessage());
            }
        }
    }

    private boolean tryLock() {
        try {
            if (lockConnection == null || lockConnection.isClosed()) {
                lockConnection = connectLockSession();
            }
            try (Statement s = lockConnection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            closeLockConnection();
            return false;
        }
    }

    /**
     * The lock's own session, kept alive by TCP keepalives on both ends, so that PostgreSQL drops the
     * session (and the lock) of a leader whose host or network vanished, and this side notices a
     * database that did; with a lock timeout, so that taking the lock never waits behind a stuck one.
     */
    private Connection connectLockSession() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user == null ? "" : user);
        props.setProperty("password", password == null ? "" : password);
        props.setProperty("tcpKeepAlive", "true");
        long keepalive = timeouts.leaderKeepalive().toSeconds();
        props.setProperty("connectTimeout", Long.toString(Math.max(2, keepalive)));
        props.setProperty("socketTimeout", Long.toString(4 * keepalive));
        Connection connection = DriverManager.getConnection(url, props);
        try (PreparedStatement set = connection.prepareStatement(SESSION_SETTINGS)) {
            set.setString(1, Long.toString(keepalive));
            set.setString(2, Long.toString(keepalive));
            set.setString(3, Long.toString(4 * keepalive * 1000));
            set.setString(4, Long.toString(timeouts.leaderLockTimeout().toMillis()));
            set.setString(5, Long.toString(4 * keepalive * 1000));
            set.execute();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    private boolean stillHoldsLock() {
        try {
            return lockConnection != null && lockConnection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void becomeLeader() {
        try {
            tx.executeWithoutResult(s -> store.refreshWorkers());
            listener.start(instance);
        } catch (RuntimeException e) {
            log.warn("{} could not start leading, releasing the lock: {}", instance, e.getMessage());
            closeLockConnection();
            return;
        }
        leader = true;
        log.info("{} leads", instance);
    }

    private void stepDown() {
        leader = false;
        listener.stop();
        closeLockConnection();
    }

    private void closeLockConnection() {
        if (lockConnection != null) {
            try {
                lockConnection.close();
            } catch (SQLException ignored) {
                // already gone
            }
            lockConnection = null;
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leader) {
            stepDown();
        }
        closeLockConnection();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
