package dev.mapreduce.runtime;

import dev.mapreduce.protocol.KafkaClientConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka consumers a worker reads task input with, kept open between tasks: making a consumer
 * costs a connection, a metadata round trip and a fetch session, far more than a small task's
 * whole read. A task borrows one consumer (no group; assign + seek) and gives it back unassigned.
 * Thread-safe; one consumer per task running at once.
 */
public final class KafkaRangeReaders implements AutoCloseable {

    /**
     * How much input a consumer may hold: the broker's answer to one fetch
     * ({@code fetch.max.bytes}), of which one partition's share ({@code max.partition.fetch.bytes}),
     * and the records one poll hands out ({@code max.poll.records}). A consumer holds about two
     * fetches (one being handed out, one prefetched), so the defaults keep a map task's input
     * under 20 MB of heap.
     */
    public record FetchLimits(int fetchMaxBytes, int partitionFetchMaxBytes, int maxPollRecords) {

        public static final FetchLimits DEFAULT = new FetchLimits(8 << 20, 2 << 20, 5_000);

        public FetchLimits {
            if (fetchMaxBytes < 1 || partitionFetchMaxBytes < 1 || maxPollRecords < 1) {
                throw new IllegalArgumentException("Kafka fetch limits must be positive, got " + fetchMaxBytes + ", "
                        + partitionFetchMaxBytes + ", " + maxPollRecords);
            }
        }
    }

    private final Map<String, Object> config;
    private final ConcurrentLinkedDeque<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** @param limits how much input each consumer may hold in memory */
    public KafkaRangeReaders(KafkaClientConfig kafka, String clientId, FetchLimits limits) {
        this.config = kafka.build(
                "input reader " + clientId,
                defaults(clientId, limits),
                Map.of(
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "none"));
    }

    public KafkaRangeReaders(String bootstrapServers, String clientId, FetchLimits limits) {
        this(KafkaClientConfig.of(bootstrapServers), clientId, limits);
    }

    private static Map<String, Object> defaults(String clientId, FetchLimits limits) {
        return Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                limits.maxPollRecords(),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                limits.fetchMaxBytes(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                limits.partitionFetchMaxBytes(),
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG,
                1 << 20,
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId);
    }

    /** Readers with the {@linkplain FetchLimits#DEFAULT default} fetch limits. */
    public KafkaRangeReaders(String bootstrapServers, String clientId) {
        this(bootstrapServers, clientId, FetchLimits.DEFAULT);
    }

    KafkaConsumer<byte[], byte[]> borrow() {
        if (closed) {
            throw new IllegalStateException("the Kafka input readers are closed");
        }
        KafkaConsumer<byte[], byte[]> consumer = idle.pollFirst();
        return consumer != null
                ? consumer
                : new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Takes a consumer back for the next task; one in doubt (the read failed) is closed instead. */
    void giveBack(KafkaConsumer<byte[], byte[]> consumer, boolean reusable) {
        if (reusable && !closed) {
            try {
                consumer.unsubscribe(); // drops the assignment and whatever was fetched past the range
                idle.addFirst(consumer);
                if (!closed) {
                    return;
                }
                idle.remove(consumer);
            } catch (RuntimeException e) {
                // closed below
            }
        }
        consumer.close(Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> consumer;
        while ((consumer = idle.pollFirst()) != null) {
            consumer.close(Duration.ofSeconds(1));
        }
    }
}
