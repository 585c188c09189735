package dev.mapreduce.runtime.worker;

import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisAuth;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/** What both kinds of worker are configured with; each worker's properties record implements it. */
public interface WorkerSettings {

    /** The tasks this worker runs. */
    TaskType taskType();

    /** Kafka brokers for task messages and task events ({@code KAFKA_BOOTSTRAP_SERVERS}). */
    String kafkaBootstrapServers();

    /** Redis holding the shuffle runs ({@code REDIS_URL}). */
    String redisUrl();

    /** Seed nodes of a Redis Cluster holding the shuffle runs instead ({@code REDIS_CLUSTER_NODES}); blank: {@link #redisUrl()}. */
    String redisClusterNodes();

    /** The credentials for Redis ({@code REDIS_USERNAME}, {@code REDIS_PASSWORD}); none by default. */
    RedisAuth redisAuth();

    /** This worker's name in task events and logs ({@code WORKER_ID}). */
    String workerId();

    /** How often the worker tells the coordinator it is alive and what it runs ({@code HEARTBEAT_INTERVAL}). */
    Duration heartbeatInterval();

    /** How many tasks the worker runs at once ({@code TASK_SLOTS}). */
    int taskSlots();

    /**
     * How long an attempt waits out Redis, PostgreSQL or Kafka being unreachable, running its work
     * again as they come back, before it fails ({@code OUTAGE_WAIT}); 0: it fails at once.
     */
    Duration outageWait();

    /** Faults to inject into task attempts, for tests only. */
    TestFaults testFaults();

    /** {@code workerId} if set, else {@code <kind>-<host>-<pid>}. */
    static String workerIdOrDefault(String workerId, String kind) {
        if (workerId != null && !workerId.isBlank()) {
            return workerId;
        }
        return kind + "-" + hostName() + "-" + ProcessHandle.current().pid();
    }

    /** Checks the settings both kinds share. */
    static void requireValid(Duration heartbeatInterval, int taskSlots, Duration outageWait) {
        requirePositive("mapreduce.heartbeat-interval", heartbeatInterval);
        if (outageWait.isNegative()) {
            throw new IllegalArgumentException("mapreduce.outage-wait must be 0 or more, got " + outageWait);
        }
        if (taskSlots < 1) {
            throw new IllegalArgumentException("mapreduce.task-slots must be at least 1, got " + taskSlots);
        }
    }

    static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
