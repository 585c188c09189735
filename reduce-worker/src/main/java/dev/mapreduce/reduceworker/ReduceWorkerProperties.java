package dev.mapreduce.reduceworker;

import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisAuth;
import dev.mapreduce.runtime.worker.WorkerSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a reduce worker, each property settable by the environment variable named in
 * {@code application.yml}, the test faults as {@code MAPREDUCE_TESTFAULTS_*}. The results database
 * is Spring's DataSource ({@code POSTGRES_URL}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}).
 *
 * @param kafkaBootstrapServers Kafka brokers for task messages and task events ({@code KAFKA_BOOTSTRAP_SERVERS})
 * @param redisUrl Redis holding the shuffle runs ({@code REDIS_URL})
 * @param redisClusterNodes seed nodes of a Redis Cluster holding the shuffle runs instead, {@code host:port} or
 *     {@code redis://} URIs separated by commas ({@code REDIS_CLUSTER_NODES}); blank means the one server of {@code redisUrl}
 * @param redisAuth the credentials for Redis: {@code REDIS_USERNAME} (an ACL user; blank: the default user) and
 *     {@code REDIS_PASSWORD} (blank: no AUTH)
 * @param workerId this worker's name in task events, logs and reduce_commits ({@code WORKER_ID}); blank means {@code reduce-<host>-<pid>}
 * @param heartbeatInterval how often the worker tells the coordinator it is alive and what it runs ({@code HEARTBEAT_INTERVAL})
 * @param taskSlots how many tasks the worker runs at once ({@code TASK_SLOTS})
 * @param fetchBuffer memory for reading a partition's map runs from Redis ({@code MAPREDUCE_FETCHBUFFER}): shared
 *     out among the runs, each read a window of between 16 KB and 1 MB at a time (with a buffer of the
 *     window, or of one 32 KB block if larger), however long the runs are
 * @param dbPool most PostgreSQL connections in the worker's pool ({@code REDUCE_WORKER_DB_POOL}); 0 means one per
 *     task slot plus one for the health check, see {@link #dbPoolSize()}
 * @param outageWait how long an attempt waits out Redis or PostgreSQL being unreachable before it fails ({@code OUTAGE_WAIT})
 * @param testFaults faults to inject into task attempts, for tests only (see {@link TestFaults})
 */
@ConfigurationProperties("mapreduce")
public record ReduceWorkerProperties(
        @DefaultValue("127.0.0.1:9092") String kafkaBootstrapServers,
        @DefaultValue("redis://127.0.0.1:6379") String redisUrl,
        String redisClusterNodes,
        @DefaultValue RedisAuth redisAuth,
        String workerId,
        @DefaultValue("1s") Duration heartbeatInterval,
        @DefaultValue("2") int taskSlots,
        @DefaultValue("32MB") DataSize fetchBuffer,
        @DefaultValue("0") int dbPool,
        @DefaultValue("2m") Duration outageWait,
        @DefaultValue TestFaults testFaults)
        implements WorkerSettings {

    public ReduceWorkerProperties {
        workerId = WorkerSettings.workerIdOrDefault(workerId, "reduce");
        WorkerSettings.requireValid(heartbeatInterval, taskSlots, outageWait);
        if (dbPool < 0) {
            throw new IllegalArgumentException("mapreduce.db-pool must be 0 (automatic) or more, got " + dbPool);
        }
        if (fetchBuffer.toBytes() < 1 << 20 || fetchBuffer.toBytes() > 1L << 30) {
            throw new IllegalArgumentException(
                    "mapreduce.fetch-buffer must be between 1MB and 1GB, got " + fetchBuffer);
        }
    }

    @Override
    public TaskType taskType() {
        return TaskType.REDUCE;
    }

    /**
     * The size of the worker's connection pool: {@code dbPool} if set, else one connection per task
     * slot (a reduce attempt holds one at a time) plus one for the health check.
     */
    public int dbPoolSize() {
        return dbPool > 0 ? dbPool : taskSlots + 1;
    }
}
