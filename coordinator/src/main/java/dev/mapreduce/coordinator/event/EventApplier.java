package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies task events from one partition of the event log exactly once: the events a poll returned
 * in one transaction, which also moves the log position stored in PostgreSQL past the last of them.
 * Events the stored position says were applied already (before a fail-over) are skipped. If the
 * transaction fails, nothing of it was applied; the same events are then applied one per
 * transaction, each retried until it applies or the coordinator stops leading, so one event that
 * cannot be applied holds up only itself and what comes after it, and no event is lost or applied twice.
 */
public final class EventApplier {

    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    private final Scheduler scheduler;
    private final EventOffsetStore offsets;
    private final String topic;
    private final int partition;
    private final String topicId;
    private final BooleanSupplier running;

    public EventApplier(
            Scheduler scheduler,
            EventOffsetStore offsets,
            String topic,
            int partition,
            String topicId,
            BooleanSupplier running) {
        this.scheduler = scheduler;
        this.offsets = offsets;
        this.topic = topic;
        this.partition = partition;
        this.topicId = topicId;
        this.running = running;
    }

    /** Applies the records, in order; returns when all are applied, or the coordinator stopped leading. */
    public void apply(List<ConsumerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<TaskEvent> events = decode(records);
        if (records.size() > 1) {
            try {
                applyOnce(records, events);
                return;
            } catch (RuntimeException e) {
                log.warn(
                        "could not apply {} task events in one transaction, applying them one by one: {}",
                        records.size(),
                        e.getMessage());
            }
        }
        for (int i = 0; i < records.size() && running.getAsBoolean(); i++) {
            applyWithRetries(records.subList(i, i + 1), events.subList(i, i + 1));
        }
    }

    private void applyWithRetries(List<ConsumerRecord<String, byte[]>> records, List<TaskEvent> events) {
        // A database outage must not skip events: retry until it is back or we stop leading.
        long backoffMs = 100;
        while (running.getAsBoolean()) {
            try {
                applyOnce(records, events);
                return;
            } catch (RuntimeException e) {
                log.warn("could not apply {} (retrying in {} ms): {}", events.get(0), backoffMs, e.getMessage());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private void applyOnce(List<ConsumerRecord<String, byte[]>> records, List<TaskEvent> events) {
        Effects fx = new Effects();
        scheduler.inTransaction(fx, () -> {
            long next = offsets.lockEventOffset(topic, partition, topicId);
            int first = 0;
            while (first < records.size() && records.get(first).offset() < next) {
                first++; // applied before a fail-over
            }
            if (first == records.size()) {
                return;
            }
            scheduler.applyAll(events.subList(first, events.size()), fx);
            offsets.setEventOffset(
                    topic, partition, records.get(records.size() - 1).offset() + 1);
        });
        scheduler.afterCommit(fx);
    }

    private static List<TaskEvent> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<TaskEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            TaskEvent event;
            try {
                event = Messages.decode(record.value(), TaskEvent.class);
            } catch (IllegalArgumentException e) {
                log.error("skipping an unreadable task event at offset {}: {}", record.offset(), e.getMessage());
                event = null;
            }
            events.add(event);
        }
        return events;
    }
}
