package dev.mapreduce.gateway.events;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The coordinator's announcements of job changes: one PostgreSQL connection of its own (outside the
 * pool, which would take it back) doing {@code LISTEN mapreduce_job_events}, whose notices (payload:
 * the job id) go to every {@link Listener}. If PostgreSQL goes away it reconnects with a growing
 * delay; notices sent meanwhile are lost, so listeners are then told that anything may have changed.
 */
@Component
public class JobEvents implements SmartLifecycle {

    /** The channel the coordinator notifies, in the transaction that changed the job. */
    public static final String CHANNEL = "mapreduce_job_events";

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);
    private static final Duration FIRST_RECONNECT_DELAY = Duration.ofMillis(250);
    /** How often a quiet connection is checked: a connection dropped without a word never wakes a read. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(15);

    /** Told of every change, on the listening thread: must return quickly. */
    public interface Listener {

        void jobChanged(UUID jobId);

        /** Notices may have been lost (PostgreSQL was unreachable): every job may have changed. */
        void changesMissed();
    }

    private final DataSourceProperties dataSource;
    private final EventsProperties properties;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile boolean listening;
    private volatile Thread thread;

    JobEvents(DataSourceProperties dataSource, EventsProperties properties) {
        this.dataSource = dataSource;
        this.properties = properties;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Whether the connection is up and listening now. */
    public boolean isListening() {
        return listening;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "job-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread listener = thread;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration delay = FIRST_RECONNECT_DELAY;
        boolean warned = false;
        while (running) {
            try (Connection connection = connect()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                log.info(
                        "Listening for job changes on PostgreSQL channel {} at {}", CHANNEL, dataSource.determineUrl());
                delay = FIRST_RECONNECT_DELAY;
                warned = false;
                changesMissed();
                receive(connection);
            } catch (SQLException e) {
                if (!running) {
                    break;
                }
                if (!warned) {
                    log.warn(
                            "Not listening for job changes (live updates wait): {}; retrying, at most every {} s",
                            e.getMessage(),
                            properties.maxReconnectDelay().toSeconds());
                    warned = true;
                } else {
                    log.debug("Still cannot listen for job changes: {}", e.getMessage());
                }
            } finally {
                listening = false;
            }
            if (!pause(delay)) {
                break;
            }
            delay = min(delay.multipliedBy(2), properties.maxReconnectDelay());
        }
    }

    private Connection connect() throws SQLException {
        Properties info = new Properties();
        if (dataSource.determineUsername() != null) {
            info.setProperty("user", dataSource.determineUsername());
        }
        if (dataSource.determinePassword() != null) {
            info.setProperty("password", dataSource.determinePassword());
        }
        info.setProperty("ApplicationName", "api-gateway job events");
        info.setProperty("tcpKeepAlive", "true");
        info.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(dataSource.determineUrl(), info);
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
        while (running) {
            // a short wait, so that stopping never waits long: interrupting does not end a socket read
            PGNotification[] notices = pg.getNotifications(500);
            if (notices != null) {
                for (PGNotification notice : notices) {
                    dispatch(notice);
                }
            }
            if (System.nanoTime() - checkAt > 0) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
            }
        }
    }

    private void dispatch(PGNotification notice) {
        UUID jobId;
        try {
            jobId = UUID.fromString(notice.getParameter());
        } catch (IllegalArgumentException e) {
            log.debug("Ignoring a notice on {} that names no job: '{}'", CHANNEL, notice.getParameter());
            return;
        }
        for (Listener listener : listeners) {
            try {
                listener.jobChanged(jobId);
            } catch (RuntimeException e) {
                log.error("A job change listener failed on job {}", jobId, e);
            }
        }
    }

    /** Tells every listener; one that throws must not end the listening thread, as it would. */
    private void changesMissed() {
        for (Listener listener : listeners) {
            try {
                listener.changesMissed();
            } catch (RuntimeException e) {
                log.error("A job change listener failed on missed changes", e);
            }
        }
    }

    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
