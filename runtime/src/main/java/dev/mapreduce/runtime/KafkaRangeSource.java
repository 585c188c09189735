package dev.mapreduce.runtime;

import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.protocol.OffsetRange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A map task's input: exactly the records {@code [start, end)} of each of its offset ranges, read
 * with assign + seek (no consumer group), so a re-run reads the same records. Each record's value
 * is one line; a record without a value is an empty (malformed) line.
 */
public final class KafkaRangeSource implements LineSource {

    private static final byte[] EMPTY = new byte[0];

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

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final List<OffsetRange> ranges;
    private final Duration stallTimeout;
    private final Cancellation cancellation;

    /**
     * @param stallTimeout how long a read may go without receiving a record before the task fails
     */
    public KafkaRangeSource(String bootstrapServers, String topic, List<OffsetRange> ranges, Duration stallTimeout) {
        this(bootstrapServers, topic, ranges, stallTimeout, new Cancellation());
    }

    /**
     * @param stallTimeout how long a read may go without receiving a record before the task fails
     * @param cancellation checked before every poll: once cancelled, reading stops with a
     *     {@link TaskCancelledException}
     */
    public KafkaRangeSource(
            String bootstrapServers,
            String topic,
            List<OffsetRange> ranges,
            Duration stallTimeout,
            Cancellation cancellation) {
        this(bootstrapServers, topic, ranges, stallTimeout, cancellation, FetchLimits.DEFAULT);
    }

    /**
     * @param stallTimeout how long a read may go without receiving a record before the task fails
     * @param cancellation checked before every poll: once cancelled, reading stops with a
     *     {@link TaskCancelledException}
     * @param limits how much input the consumer may hold in memory
     */
    public KafkaRangeSource(
            String bootstrapServers,
            String topic,
            List<OffsetRange> ranges,
            Duration stallTimeout,
            Cancellation cancellation,
            FetchLimits limits) {
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                limits.maxPollRecords(),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                limits.fetchMaxBytes(),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                limits.partitionFetchMaxBytes(),
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG,
                1 << 20,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "map-input-" + topic);
        this.topic = topic;
        this.ranges = List.copyOf(ranges);
        this.stallTimeout = stallTimeout;
        this.cancellation = cancellation;
    }

    /** @throws TaskCancelledException if the cancellation is cancelled before every record was read */
    @Override
    public void forEachLine(LineHandler handler) throws IOException {
        Map<TopicPartition, OffsetRange> pending = new HashMap<>();
        for (OffsetRange range : ranges) {
            if (range.count() > 0 && pending.put(new TopicPartition(topic, range.partition()), range) != null) {
                throw new IllegalArgumentException("two ranges of partition " + range.partition() + " in one task");
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(pending.keySet());
            pending.forEach((tp, range) -> consumer.seek(tp, range.start()));
            long lastProgress = System.nanoTime();
            while (!pending.isEmpty()) {
                cancellation.throwIfCancelled();
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (OffsetOutOfRangeException e) {
                    TopicPartition tp =
                            e.offsetOutOfRangePartitions().keySet().iterator().next();
                    throw new IOException("records " + describe(pending.get(tp))
                            + " are not in Kafka (deleted by retention, or past the end of the partition)");
                }
                List<TopicPartition> done = new ArrayList<>();
                for (Map.Entry<TopicPartition, OffsetRange> entry : pending.entrySet()) {
                    TopicPartition tp = entry.getKey();
                    long end = entry.getValue().end();
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        if (record.offset() >= end) {
                            break;
                        }
                        byte[] value = record.value() == null ? EMPTY : record.value();
                        handler.line(value, 0, value.length);
                    }
                    if (!records.records(tp).isEmpty()) {
                        lastProgress = System.nanoTime();
                    }
                    if (consumer.position(tp) >= end) {
                        done.add(tp);
                    }
                }
                if (!done.isEmpty()) {
                    consumer.pause(done);
                    done.forEach(pending::remove);
                } else if (records.isEmpty() && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    Map.Entry<TopicPartition, OffsetRange> stuck =
                            pending.entrySet().iterator().next();
                    throw new IOException("no records from " + describe(stuck.getValue()) + " at offset "
                            + consumer.position(stuck.getKey()) + " within " + stallTimeout.toSeconds() + " s");
                }
            }
        }
    }

    private String describe(OffsetRange range) {
        return "topic " + topic + " partition " + range.partition() + " [" + range.start() + ", " + range.end() + ")";
    }
}
