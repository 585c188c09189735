package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.OffsetRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/** Fixes a job's Kafka input at submit: the records between each partition's earliest and latest offsets now. */
@Component
class TopicInput {

    private final Admin admin;
    private final long timeoutMs;

    TopicInput(Admin admin, CoordinatorProperties props) {
        this.admin = admin;
        this.timeoutMs = props.kafka().timeout().toMillis();
    }

    /**
     * The topic's current {@code [earliest, latest)} range of every partition, by partition number.
     *
     * @throws UnknownTopicException if there is no such topic
     * @throws ServiceUnavailableException if Kafka does not answer
     */
    List<OffsetRange> snapshot(String topic) {
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
            List<OffsetRange> ranges = new ArrayList<>();
            for (TopicPartition tp : starts.keySet()) {
                ranges.add(new OffsetRange(
                        tp.partition(), starts.get(tp).offset(), ends.get(tp).offset()));
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
}
