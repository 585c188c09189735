package dev.mapreduce.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The passwords of the services' own PostgreSQL roles, which the migrations create without one
 * ({@code V013__service_roles.sql}): the coordinator owns the schema, so it sets them after
 * migrating, and the gateway and the reduce workers connect with them. Blank: the role's password is
 * left as it is (none on a new role, which then logs in only where PostgreSQL trusts the connection,
 * as a local stack's does).
 *
 * @param gatewayPassword the password of {@code mapreduce_gateway} ({@code GATEWAY_DB_PASSWORD})
 * @param reduceWorkerPassword the password of {@code mapreduce_reduce_worker} ({@code REDUCE_WORKER_DB_PASSWORD})
 * @param monitorPassword the password of {@code mapreduce_monitor}, the PostgreSQL exporter's role
 *     ({@code MONITOR_DB_PASSWORD})
 */
@ConfigurationProperties("mapreduce.database.roles")
record ServiceRoleSettings(String gatewayPassword, String reduceWorkerPassword, String monitorPassword) {

    static final String GATEWAY = "mapreduce_gateway";
    static final String REDUCE_WORKER = "mapreduce_reduce_worker";
    static final String MONITOR = "mapreduce_monitor";

    ServiceRoleSettings {
        gatewayPassword = orNull(gatewayPassword);
        reduceWorkerPassword = orNull(reduceWorkerPassword);
        monitorPassword = orNull(monitorPassword);
    }

    private static String orNull(String password) {
        return password == null || password.isBlank() ? null : password;
    }

    /** The passwords to set, by role name. */
    Map<String, String> passwords() {
        Map<String, String> passwords = new LinkedHashMap<>();
        if (gatewayPassword != null) {
            passwords.put(GATEWAY, gatewayPassword);
        }
        if (reduceWorkerPassword != null) {
            passwords.put(REDUCE_WORKER, reduceWorkerPassword);
        }
        if (monitorPassword != null) {
            passwords.put(MONITOR, monitorPassword);
        }
        return passwords;
    }

    /** Never shows the passwords: a record's own toString would. */
    @Override
    public String toString() {
        return "ServiceRoleSettings[gatewayPassword=" + (gatewayPassword == null ? "none" : "(hidden)")
                + ", reduceWorkerPassword=" + (reduceWorkerPassword == null ? "none" : "(hidden)")
                + ", monitorPassword=" + (monitorPassword == null ? "none" : "(hidden)") + "]";
    }
}
