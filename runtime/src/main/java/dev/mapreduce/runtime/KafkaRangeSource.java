package dev.mapreduce.runtime;

import dev.mapreduce.engine.input.EventAssembler;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.protocol.OffsetRange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A map task's input: exactly the records {@code [start, end)} of each of its offset ranges, read
 * with assign + seek (no consumer group), so a re-run reads the same records. Each record's value
 * is one line; a record without a value is an empty (malformed) line.
 *
 * <p>Multi-line events ({@link #forEachRecord} with an {@link EventStart}) follow the file rule at
 * range boundaries, per partition: a range owns the events whose first record is in it, and reads
 * the continuation records of its last event past its end (up to the partition's end at that
 * moment); continuation records at the beginning of a range belong to the event before it, read by
 * the range before (or, at the start of a job's input, begun before the job's records: not part of
 * it), unless the range starts at the partition's first offset, where they form an event of their
 * own. ({@code mr ingest --format} with multi-line events sends each event as one record, so its
 * topics never split one.)
 */
public final class KafkaRangeSource implements LineSource {

    private static final byte[] EMPTY = new byte[0];

    private final KafkaRangeReaders readers;
    private final String topic;
    private final List<OffsetRange> ranges;
    private final Duration stallTimeout;
    private final Cancellation cancellation;

    /**
     * @param readers where the consumer comes from, and goes back to after the read
     * @param stallTimeout how long a read may go without receiving a record before the task fails
     * @param cancellation checked before every poll: once cancelled, reading stops with a
     *     {@link TaskCancelledException}
     */
    public KafkaRangeSource(
            KafkaRangeReaders readers,
            String topic,
            List<OffsetRange> ranges,
            Duration stallTimeout,
            Cancellation cancellation) {
        this.readers = readers;
        this.topic = topic;
        this.ranges = List.copyOf(ranges);
        this.stallTimeout = stallTimeout;
        this.cancellation = cancellation;
    }

    /** @throws TaskCancelledException if the cancellation is cancelled before every record was read */
    @Override
    public void forEachLine(LineHandler handler) throws IOException {
        read(handler, null);
    }

    /**
     * Records as lines, or as multi-line events (see the class comment for the boundaries).
     *
     * @throws IllegalArgumentException for a format whose first line is a header: a topic has no
     *     first line of a file, so such a format must name its columns
     */
    @Override
    public void forEachRecord(EventStart start, boolean header, LineHandler handler) throws IOException {
        if (header) {
            throw new IllegalArgumentException(
                    "a format that takes its columns from a header line cannot read a Kafka topic: name the columns");
        }
        read(handler, start);
    }

    private void read(LineHandler handler, EventStart eventStart) throws IOException {
        Map<TopicPartition, OffsetRange> pending = new HashMap<>();
        for (OffsetRange range : ranges) {
            if (range.count() > 0 && pending.put(new TopicPartition(topic, range.partition()), range) != null) {
                throw new IllegalArgumentException("two ranges of partition " + range.partition() + " in one task");
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        KafkaConsumer<byte[], byte[]> consumer = readers.borrow();
        boolean clean = false;
        long[] at = new long[2]; // partition and offset of the record being delivered
        LineHandler.Locator records = () -> "topic " + topic + " partition " + at[0] + " offset " + at[1];
        Map<TopicPartition, EventAssembler> events = new HashMap<>();
        Map<TopicPartition, Long> stopAt = new HashMap<>();
        try {
            consumer.assign(pending.keySet());
            pending.forEach((tp, range) -> consumer.seek(tp, range.start()));
            if (eventStart == null) {
                handler.locator(records);
            } else {
                Map<TopicPartition, Long> first = consumer.beginningOffsets(pending.keySet());
                Map<Integer, LineHandler.Locator> eventLocators = new HashMap<>();
                for (Map.Entry<TopicPartition, OffsetRange> e : pending.entrySet()) {
                    boolean leadingOwned = e.getValue().start() <= first.getOrDefault(e.getKey(), 0L);
                    EventAssembler a = new EventAssembler(eventStart, leadingOwned, handler);
                    eventLocators.put(e.getKey().partition(), a.locator(records));
                    events.put(e.getKey(), a);
                }
                // an event is delivered while its partition's records are read: its assembler knows where it began
                handler.locator(() -> eventLocators.get((int) at[0]).where());
            }
            long lastProgress = System.nanoTime();
            while (!pending.isEmpty()) {
                cancellation.throwIfCancelled();
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = consumer.poll(Duration.ofMillis(200));
                } catch (OffsetOutOfRangeException e) {
                    seekBackOrFail(consumer, e.offsetOutOfRangePartitions(), pending);
                    polled = ConsumerRecords.empty();
                }
                List<TopicPartition> done = new ArrayList<>();
                for (Map.Entry<TopicPartition, OffsetRange> entry : pending.entrySet()) {
                    TopicPartition tp = entry.getKey();
                    long end = entry.getValue().end();
                    EventAssembler assembler = events.get(tp);
                    boolean stopped = false;
                    at[0] = tp.partition();
                    for (ConsumerRecord<byte[], byte[]> record : polled.records(tp)) {
                        at[1] = record.offset();
                        byte[] value = record.value() == null ? EMPTY : record.value();
                        if (assembler == null) {
                            if (record.offset() >= end) {
                                break;
                            }
                            handler.line(value, 0, value.length);
                        } else if (!assembler.line(value, 0, value.length, record.offset() < end)) {
                            stopped = true;
                            break;
                        }
                    }
                    if (!polled.records(tp).isEmpty()) {
                        lastProgress = System.nanoTime();
                    }
                    long position = consumer.position(tp);
                    if (assembler == null) {
                        if (position >= end) {
                            done.add(tp);
                        }
                    } else if (stopped
                            || position >= end && position >= stopAt.computeIfAbsent(tp, p -> logEnd(consumer, p))) {
                        assembler.finish(); // the last event's continuation records end with the partition
                        done.add(tp);
                    }
                }
                if (!done.isEmpty()) {
                    consumer.pause(done);
                    done.forEach(pending::remove);
                } else if (polled.isEmpty() && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    Map.Entry<TopicPartition, OffsetRange> stuck =
                            pending.entrySet().iterator().next();
                    throw new InputStalledException("no records from " + describe(stuck.getValue()) + " at offset "
                            + consumer.position(stuck.getKey()) + " within " + stallTimeout.toSeconds() + " s"
                            + endedBefore(
                                    consumer, stuck.getKey(), stuck.getValue().end()));
                }
            }
            clean = true;
        } finally {
            readers.giveBack(consumer, clean);
        }
    }

    /**
     * A broker answers "out of range" for offsets it does hold while it is still taking over a partition (a new leader
     * whose log end has not caught up, a topic just created). The read goes on from the same offset when the records
     * are there, and the stall timeout ends it if the answer persists; records that are really gone fail the task.
     */
    private void seekBackOrFail(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, Long> outOfRange,
            Map<TopicPartition, OffsetRange> pending)
            throws IOException {
        Map<TopicPartition, Long> first = consumer.beginningOffsets(outOfRange.keySet());
        Map<TopicPartition, Long> last = consumer.endOffsets(outOfRange.keySet());
        for (Map.Entry<TopicPartition, Long> e : outOfRange.entrySet()) {
            TopicPartition tp = e.getKey();
            long offset = e.getValue();
            long begin = first.getOrDefault(tp, 0L);
            long end = last.getOrDefault(tp, 0L);
            if (offset < begin || offset > end) {
                throw new IOException(
                        "records " + describe(pending.get(tp)) + " are not in Kafka (the partition holds [" + begin
                                + ", " + end + "): deleted by retention, or past the end of the partition)");
            }
            consumer.seek(tp, offset);
        }
    }

    /**
     * Why a stalled read may never progress: the partition ends before the range does (its records were never
     * written). Empty when it does not, or when the broker cannot say so quickly (an unknown topic).
     */
    private static String endedBefore(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long rangeEnd) {
        try {
            Long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(2)).get(tp);
            return end != null && end < rangeEnd ? " (the partition ends at offset " + end + ")" : "";
        } catch (KafkaException e) {
            return "";
        }
    }

    /** The partition's end offset now: continuation records of a range's last event are read up to it. */
    private static long logEnd(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp) {
        return consumer.endOffsets(List.of(tp)).getOrDefault(tp, 0L);
    }

    private String describe(OffsetRange range) {
        return "topic " + topic + " partition " + range.partition() + " [" + range.start() + ", " + range.end() + ")";
    }
}
