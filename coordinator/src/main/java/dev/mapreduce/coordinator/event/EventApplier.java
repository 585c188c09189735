package dev.mapreduce.coordinator.event;

import dev.mapreduce.coordinator.CoordinatorMetrics;
import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.runtime.Outages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Applies task events from one partition of the event log exactly once: the events a poll returned
 * in one transaction, which also moves the log position stored in PostgreSQL past the last of them.
 * Events the stored position says were applied already (before a fail-over) are skipped. If the
 * transaction fails, nothing of it was applied; the same events are then applied one per
 * transaction. One that meets an outage (PostgreSQL or Redis unreachable, a lock or statement
 * timeout) is retried until it applies or the coordinator stops leading, so no event is lost to an
 * outage or applied twice. One that fails {@link #MAX_FAILURES} times for any other reason (a bug,
 * a row it cannot write) is skipped with an ERROR and counted ({@code
 * mapreduce_coordinator_task_events_skipped_total}), its position committed: the events behind it
 * go on, and the attempt it was about is left to the monitors (a dead worker, a start timeout).
 */
public final class EventApplier {

    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    /** Failures other than outages after which an event is skipped. */
    static final int MAX_FAILURES = 5;

    private final Scheduler scheduler;
    private final EventOffsetStore offsets;
    private final String topic;
    private final int partition;
    private final String topicId;
    private final BooleanSupplier running;
    private final CoordinatorMetrics metrics;

    public EventApplier(
            Scheduler scheduler,
            EventOffsetStore offsets,
            String topic,
            int partition,
            String topicId,
            BooleanSupplier running,
            CoordinatorMetrics metrics) {
        this.metrics = metrics;
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
        // An outage must not skip events: retry until it is back or we stop leading.
        long backoffMs = 100;
        int failures = 0;
        while (running.getAsBoolean()) {
            try {
                applyOnce(records, events);
                return;
            } catch (RuntimeException e) {
                if (!isOutage(e) && ++failures >= MAX_FAILURES && skip(records.get(0), events.get(0), e)) {
                    return;
                }
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

    /**
     * Moves the position past an event that cannot be applied, alone in a transaction; false if even
     * that failed (then the database is what fails, and the event is tried again).
     */
    private boolean skip(ConsumerRecord<String, byte[]> record, TaskEvent event, RuntimeException cause) {
        try {
            Effects fx = new Effects();
            scheduler.inTransaction(fx, () -> {
                if (record.offset() >= offsets.lockEventOffset(topic, partition, topicId)) {
                    offsets.setEventOffset(topic, partition, record.offset() + 1);
                }
            });
            scheduler.afterCommit(fx);
        } catch (RuntimeException e) {
            log.warn("could not skip the task event at offset {}: {}", record.offset(), e.getMessage());
            return false;
        }
        metrics.taskEventSkipped();
        log.error(
                "skipped the task event at offset {} after {} failures; its attempt is left to the monitors: {}",
                record.offset(),
                MAX_FAILURES,
                event,
                cause);
        return true;
    }

    /** An outage of PostgreSQL or Redis, or a lock or statement timeout: waited out, never skipped. */
    static boolean isOutage(RuntimeException e) {
        return Outages.isOutage(e)
                || e instanceof TransientDataAccessException
                || e instanceof RecoverableDataAccessException
                || e instanceof DataAccessResourceFailureException
                || e instanceof CannotCreateTransactionException;
    }

    private void applyOnce(List<ConsumerRecord<String, byte[]>> records, List<TaskEvent> events) {
        Map<TaskEvent, List<MapRunRef>> lostRuns = scheduler.lostRuns(events); // Redis, before the transaction
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
            scheduler.applyAll(events.subList(first, events.size()), lostRuns, fx);
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
