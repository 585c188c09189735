package dev.mapreduce.runtime;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.NetworkException;

/**
 * Tells an outage (Redis, PostgreSQL or Kafka could not be reached, or did not answer in time)
 * from a failure of the task itself. An outage is not the task's fault: the worker waits for the
 * service and runs the attempt again ({@link OutageWait}) instead of failing it, so it does not
 * count toward the task's attempts. A refusal (Redis out of memory, a constraint, bad SQL) is the
 * task's failure.
 */
public final class Outages {

    /** How deep a chain of causes is searched. */
    private static final int MAX_DEPTH = 16;

    private Outages() {}

    /** Whether {@code e}, or one of its causes, is an outage of a service the attempt needs. */
    public static boolean isOutage(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof TaskFailure
                    || t instanceof TaskCancelledException
                    || t instanceof InjectedFaultException) {
                return false;
            }
            if (isOutageItself(t)) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }

    private static boolean isOutageItself(Throwable t) {
        if (t instanceof SQLException sql) {
            return t instanceof SQLTransientConnectionException || isConnectionState(sql.getSQLState());
        }
        if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException) {
            return true;
        }
        if (t instanceof RedisException && t.getMessage() != null) {
            // Lettuce's words for commands that met a dropped connection
            return t.getMessage().startsWith("Connection closed")
                    || t.getMessage().startsWith("Currently not connected");
        }
        return t instanceof TimeoutException
                || t instanceof InputStalledException
                || t instanceof org.apache.kafka.common.errors.TimeoutException
                || t instanceof DisconnectException
                || t instanceof NetworkException
                || t instanceof SocketException // refused, reset, no route to host
                || t instanceof ClosedChannelException;
    }

    /**
     * PostgreSQL's SQLSTATEs of a lost or refused connection: class 08 (connection exception), and
     * 57P01 to 57P03 (the server shut down, crashed, or is starting).
     */
    static boolean isConnectionState(String state) {
        return state != null
                && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
