package dev.mapreduce.coordinator;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * After every migration (so on every coordinator start), sets the configured passwords of the
 * services' roles ({@link ServiceRoleSettings}). The driver hashes each password (SCRAM-SHA-256)
 * before it is sent, so no password reaches PostgreSQL's statement log. Spring Boot hands Flyway
 * every {@link Callback} bean.
 */
@Component
final class SetServiceRolePasswords implements Callback {

    private static final Logger log = LoggerFactory.getLogger(SetServiceRolePasswords.class);

    /** The advisory lock key of this duty (any constant other coordinator code does not use). */
    private static final long LOCK = 0x6d72_726f_6c65_73L;

    private final ServiceRoleSettings settings;

    SetServiceRolePasswords(ServiceRoleSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Map<String, String> passwords = settings.passwords();
        if (passwords.isEmpty()) {
            return;
        }
        try {
            set(context.getConnection(), passwords);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot set the passwords of the services' PostgreSQL roles " + passwords.keySet()
                            + " (the coordinator's database user needs CREATEROLE): " + e.getMessage(),
                    e);
        }
        log.info("Set the passwords of the PostgreSQL roles {}", passwords.keySet());
    }

    static void set(Connection connection, Map<String, String> passwords) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        // coordinators starting together would alter the same roles at once, which PostgreSQL may
        // refuse ("tuple concurrently updated"): one at a time
        try (Statement s = connection.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LOCK + ")");
        }
        try {
            for (Map.Entry<String, String> role : passwords.entrySet()) {
                pg.alterUserPassword(role.getKey(), role.getValue().toCharArray(), "scram-sha-256");
            }
        } finally {
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        }
    }

    @Override
    public String getCallbackName() {
        return "set service role passwords";
    }
}
