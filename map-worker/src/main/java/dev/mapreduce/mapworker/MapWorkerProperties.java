package dev.mapreduce.mapworker;

import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisAuth;
import dev.mapreduce.runtime.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of a map worker. Each property can be set by environment variable: those of
 * {@code application.yml} by the names there, the others as {@code MAPREDUCE_SORTBUFFER},
 * {@code MAPREDUCE_SPILLDIRECTORY}, {@code MAPREDUCE_KAFKASTALLTIMEOUT},
 * {@code MAPREDUCE_KAFKAFETCHMAXBYTES} (and the other {@code kafka-…} limits) and
 * {@code MAPREDUCE_TESTFAULTS_*}.
 *
 * @param kafkaBootstrapServers Kafka brokers for task messages, task events and the input topics ({@code KAFKA_BOOTSTRAP_SERVERS})
 * @param redisUrl Redis holding the shuffle runs ({@code REDIS_URL})
 * @param redisClusterNodes seed nodes of a Redis Cluster holding the shuffle runs instead, {@code host:port} or
 *     {@code redis://} URIs separated by commas ({@code REDIS_CLUSTER_NODES}); blank means the one server of {@code redisUrl}
 * @param redisAuth the credentials for Redis: {@code REDIS_USERNAME} (an ACL user; blank: the default user) and
 *     {@code REDIS_PASSWORD} (blank: no AUTH)
 * @param workerId this worker's name in task events and logs ({@code WORKER_ID}); blank means {@code map-<host>-<pid>}
 * @param shuffleTtl how long a map run stays in Redis if the job never deletes it ({@code SHUFFLE_TTL})
 * @param sortBuffer memory a map task fills before it spills sorted output (as Hadoop's io.sort.mb)
 * @param spillDirectory where map tasks spill their output, in a folder of this worker's own that is emptied when it
 *     starts (so a killed worker's files go too); blank means the JVM's temporary directory
 * @param kafkaStallTimeout how long reading a task's input may go without a record before the task fails
 * @param kafkaFetchMaxBytes most input bytes one fetch from Kafka returns ({@code fetch.max.bytes})
 * @param kafkaPartitionFetchMaxBytes most input bytes one fetch returns of one partition ({@code max.partition.fetch.bytes})
 * @param kafkaMaxPollRecords most input records one poll hands out ({@code max.poll.records})
 * @param heartbeatInterval how often the worker tells the coordinator it is alive and what it runs ({@code HEARTBEAT_INTERVAL})
 * @param taskSlots how many tasks the worker runs at once ({@code TASK_SLOTS})
 * @param inputRoot the folder that file splits are named relative to ({@code MAPREDUCE_INPUT_ROOT}, default {@code data}
 *     under the working folder): the same files as under the coordinator's input root
 * @param outageWait how long an attempt waits out Redis or Kafka being unreachable before it fails ({@code OUTAGE_WAIT})
 * @param testFaults faults to inject into task attempts, for tests only (see {@link TestFaults})
 */
@ConfigurationProperties("mapreduce")
public record MapWorkerProperties(
        @DefaultValue("127.0.0.1:9092") String kafkaBootstrapServers,
        @DefaultValue("redis://127.0.0.1:6379") String redisUrl,
        String redisClusterNodes,
        @DefaultValue RedisAuth redisAuth,
        String workerId,
        @DefaultValue("1h") Duration shuffleTtl,
        DataSize sortBuffer,
        String spillDirectory,
        @DefaultValue("30s") Duration kafkaStallTimeout,
        @DefaultValue("8MB") DataSize kafkaFetchMaxBytes,
        @DefaultValue("2MB") DataSize kafkaPartitionFetchMaxBytes,
        @DefaultValue("5000") int kafkaMaxPollRecords,
        @DefaultValue("1s") Duration heartbeatInterval,
        @DefaultValue("2") int taskSlots,
        @DefaultValue("data") String inputRoot,
        @DefaultValue("2m") Duration outageWait,
        @DefaultValue TestFaults testFaults)
        implements WorkerSettings {

    public MapWorkerProperties {
        workerId = WorkerSettings.workerIdOrDefault(workerId, "map");
        if (inputRoot == null || inputRoot.isBlank()) {
            throw new IllegalArgumentException("mapreduce.input-root must not be blank");
        }
        if (sortBuffer == null) {
            sortBuffer = DataSize.ofBytes(MapTask.DEFAULT_SORT_BUFFER_BYTES);
        }
        if (spillDirectory == null || spillDirectory.isBlank()) {
            spillDirectory = System.getProperty("java.io.tmpdir");
        }
        WorkerSettings.requireValid(heartbeatInterval, taskSlots, outageWait);
        WorkerSettings.requirePositive("mapreduce.shuffle-ttl", shuffleTtl);
        WorkerSettings.requirePositive("mapreduce.kafka-stall-timeout", kafkaStallTimeout);
        if (sortBuffer.toBytes() < 1 << 20) {
            throw new IllegalArgumentException("mapreduce.sort-buffer must be at least 1MB, got " + sortBuffer);
        }
        requireBetween("mapreduce.kafka-fetch-max-bytes", kafkaFetchMaxBytes, 64 << 10, 1 << 30);
        requireBetween("mapreduce.kafka-partition-fetch-max-bytes", kafkaPartitionFetchMaxBytes, 64 << 10, 1 << 30);
        if (kafkaMaxPollRecords < 1) {
            throw new IllegalArgumentException(
                    "mapreduce.kafka-max-poll-records must be at least 1, got " + kafkaMaxPollRecords);
        }
    }

    @Override
    public TaskType taskType() {
        return TaskType.MAP;
    }

    /** The folder this worker's map tasks spill to: {@code mapreduce-<worker id>} under the spill directory. */
    Path spillFolder() {
        return Path.of(spillDirectory).resolve("mapreduce-" + workerId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    KafkaRangeReaders.FetchLimits kafkaFetchLimits() {
        return new KafkaRangeReaders.FetchLimits(
                (int) kafkaFetchMaxBytes.toBytes(), (int) kafkaPartitionFetchMaxBytes.toBytes(), kafkaMaxPollRecords);
    }

    private static void requireBetween(String name, DataSize value, long min, long max) {
        if (value.toBytes() < min || value.toBytes() > max) {
            throw new IllegalArgumentException(name + " must be between " + DataSize.ofBytes(min) + " and "
                    + DataSize.ofBytes(max) + ", got " + value);
        }
    }
}
