package dev.mapreduce.runtime;

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

    /** Records one poll hands over at most. */
    static final int MAX_POLL_RECORDS = 10_000;

    private final Map<String, Object> config;
    private final ConcurrentLinkedDeque<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * @param fetchBytes the most bytes one fetch brings per partition; a poll brings at most four
     *     times this over all partitions, which bounds the consumer's buffers
     */
    public KafkaRangeReaders(String bootstrapServers, String clientId, int fetchBytes) {
        this.config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                MAX_POLL_RECORDS,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                4 * fetchBytes,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                fetchBytes,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG,
                1 << 20,
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId);
    }

    /** Readers with fetches of 8 MB per partition. */
    public KafkaRangeReaders(String bootstrapServers, String clientId) {
        this(bootstrapServers, clientId, 8 << 20);
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
