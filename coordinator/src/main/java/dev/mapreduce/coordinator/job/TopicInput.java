package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.CoordinatorProperties;
import dev.mapreduce.coordinator.ServiceUnavailableException;
import dev.mapreduce.protocol.OffsetRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.stereotype.Component;

/**
 * Fixes a job's Kafka input at submit: the records between each partition's earliest and latest
 * offsets now, narrowed to a time range when the job has one.
 */
@Component
class TopicInput {

    private final Admin admin;
    private final long timeoutMs;

    TopicInput(Admin admin, CoordinatorProperties props) {
        this.admin = admin;
        this.timeoutMs = props.kafka().timeout().toMillis();
    }

    /**
     * The topic's current {@code [earliest, latest)} range of every partition, by partition number,
     * narrowed by {@code from} and {@code to} (either may be null). Kafka's offset lookup by time
     * gives, per partition, the first offset whose record timestamp is at least the time asked: that
     * offset for {@code from} is where the range starts (the end if there is none), and for
     * {@code to} where it ends (exclusive; the latest offset if there is none). As partitions are
     * ordered by offset, not by time, a record with an out-of-order timestamp inside the range is
     * read, and one outside it is not.
     *
     * @throws UnknownTopicException if there is no such topic
     * @throws ServiceUnavailableException if Kafka does not answer
     */
    List<OffsetRange> snapshot(String topic, Instant from, Instant to) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .topicNameValues()
                    .get(topic)
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            description.partitions().forEach(p -> {
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
            Map<TopicPartition, ListOffsetsResultInfo> starts =
                    admin.listOffsets(earliest).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> firsts = at(starts.keySet(), from);
            Map<TopicPartition, ListOffsetsResultInfo> lasts = at(starts.keySet(), to);
            List<OffsetRange> ranges = new ArrayList<>();
            for (TopicPartition tp : starts.keySet()) {
                long end = ends.get(tp).offset();
                if (lasts.containsKey(tp) && lasts.get(tp).offset() >= 0) {
                    end = Math.min(end, lasts.get(tp).offset());
                }
                long start = starts.get(tp).offset();
                if (firsts.containsKey(tp)) {
                    long first = firsts.get(tp).offset();
                    start = first < 0 ? end : Math.max(start, first);
                }
                ranges.add(new OffsetRange(tp.partition(), Math.min(start, end), end));
            }
            ranges.sort(Comparator.comparingInt(OffsetRange::partition));
            return ranges;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException
                    || e.getCause() instanceof InvalidTopicException) {
                throw new UnknownTopicException(topic);
            }
            throw new ServiceUnavailableException(
                    "cannot read the offsets of topic '" + topic + "': "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("Kafka did not answer within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted reading topic offsets", e);
        }
    }

    /** The first offset of each partition whose record timestamp is at least {@code time}; none for a null time. */
    private Map<TopicPartition, ListOffsetsResultInfo> at(Set<TopicPartition> partitions, Instant time)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (time == null) {
            return Map.of();
        }
        // Kafka timestamps are whole milliseconds: "at least time" is "at least time rounded up".
        long millis = time.toEpochMilli() + (time.getNano() % 1_000_000 == 0 ? 0 : 1);
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.forTimestamp(millis)));
        return admin.listOffsets(specs).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
