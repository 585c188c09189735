package dev.mapreduce.runtime;

import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.protocol.OffsetRange;
import java.io.IOException;
import java.time.Duration;
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

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final List<OffsetRange> ranges;
    private final Duration stallTimeout;

    /**
     * @param stallTimeout how long a read may go without receiving a record before the task fails
     */
    public KafkaRangeSource(String bootstrapServers, String topic, List<OffsetRange> ranges, Duration stallTimeout) {
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "none",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                20_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                64 << 20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                16 << 20,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.RECEIVE_BUFFER_CONFIG,
                1 << 20,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "map-input-" + topic);
        this.topic = topic;
        this.ranges = List.copyOf(ranges);
        this.stallTimeout = stallTimeout;
    }

    @Override
    public void forEachLine(LineHandler handler) throws IOException {
        if (ranges.stream().allMatch(r -> r.count() == 0)) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (OffsetRange range : ranges) {
                if (range.count() > 0) {
                    read(consumer, range, handler);
                }
            }
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> consumer, OffsetRange range, LineHandler handler)
            throws IOException {
        TopicPartition tp = new TopicPartition(topic, range.partition());
        consumer.assign(List.of(tp));
        consumer.seek(tp, range.start());
        long next = range.start();
        long lastProgress = System.nanoTime();
        while (next < range.end()) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (OffsetOutOfRangeException e) {
                throw new IOException(
                        "records " + describe(range) + " are no longer in Kafka (retention deleted them)");
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                if (record.offset() >= range.end()) {
                    break;
                }
                byte[] value = record.value() == null ? EMPTY : record.value();
                handler.line(value, 0, value.length);
            }
            long position = consumer.position(tp);
            if (position > next) {
                next = position;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                throw new IOException("no records from " + describe(range) + " at offset " + next + " within "
                        + stallTimeout.toSeconds() + " s");
            }
        }
    }

    private String describe(OffsetRange range) {
        return "topic " + topic + " partition " + range.partition() + " [" + range.start() + ", " + range.end() + ")";
    }
}
