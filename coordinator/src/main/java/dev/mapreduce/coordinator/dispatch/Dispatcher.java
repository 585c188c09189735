package dev.mapreduce.coordinator.dispatch;

import dev.mapreduce.coordinator.Effects;
import dev.mapreduce.coordinator.SchedulerSettings;
import dev.mapreduce.coordinator.job.JobRow;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gives free dispatch slots to waiting tasks and creates their attempts. A task waits in PostgreSQL
 * ({@link DispatchStore}) until it gets a slot: each job may have {@link
 * SchedulerSettings.Dispatch#jobLimit} attempts of a type in flight (queued in Kafka or running)
 * and all jobs together {@link SchedulerSettings.Dispatch#maxInFlight}; {@link FairShare} decides
 * who gets the free slots. Every change that frees a slot or makes a task wait ends with {@link
 * #dispatchWaiting} in its own transaction, under the scheduling lock, so a slot is given again
 * as soon as it is free, not by a timer; the messages go out after the commit, without waiting.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatchStore queue;
    private final JobStore store;
    private final TaskStore tasks;
    private final AttemptStore attempts;
    private final Outbox outbox;
    private final SchedulerSettings.Dispatch limits;

    /** Attempts whose messages Kafka acknowledged, to be marked dispatched by the next change. */
    private final Queue<AttemptRef> acknowledged = new ConcurrentLinkedQueue<>();

    /**
     * Attempts sent and not yet marked dispatched: with Kafka, or acknowledged and waiting for the next
     * change to mark them. They are not sent again meanwhile, however old.
     */
    private final Set<AttemptRef> unmarked = ConcurrentHashMap.newKeySet();

    public Dispatcher(
            DispatchStore queue,
            JobStore store,
            TaskStore tasks,
            AttemptStore attempts,
            Outbox outbox,
            SchedulerSettings settings) {
        this.queue = queue;
        this.store = store;
        this.tasks = tasks;
        this.attempts = attempts;
        this.outbox = outbox;
        this.limits = settings.dispatch();
    }

    /**
     * Creates attempts for waiting tasks of the types {@code fx} woke, while slots are free; their
     * messages go into {@code fx}.
     */
    public void dispatchWaiting(Effects fx) {
        for (TaskType type : fx.wake) {
            dispatchWaiting(type, fx);
        }
    }

    private void dispatchWaiting(TaskType type, Effects fx) {
        DispatchStore.Slots slots = queue.slots(type);
        int jobLimit = limits.jobLimit(slots.liveWorkers());
        Map<UUID, Integer> inFlight = slots.inFlight();
        int free = limits.maxInFlight(slots.liveWorkers()) - slots.inFlightTotal();
        if (free <= 0) {
            return;
        }
        List<DispatchStore.Line> lines = queue.waiting(type, jobLimit);
        if (type == TaskType.REDUCE && !lines.isEmpty()) {
            // a reduce task runs once every map task is done (again, after a lost output)
            Set<UUID> mapsRunning = queue.mapsUnfinished(
                    lines.stream().map(DispatchStore.Line::jobId).toList());
            lines.removeIf(l -> mapsRunning.contains(l.jobId()));
        }
        List<FairShare.Job> jobs = new ArrayList<>();
        Map<UUID, Set<Integer>> again = new HashMap<>();
        for (DispatchStore.Line l : lines) {
            jobs.add(new FairShare.Job(l.jobId(), l.createdAt(), inFlight.getOrDefault(l.jobId(), 0), l.all()));
            again.put(l.jobId(), new HashSet<>(l.again()));
        }
        List<FairShare.Pick> picks = FairShare.pick(jobs, jobLimit, free);
        if (picks.isEmpty()) {
            return;
        }
        List<FairShare.Pick> runAgain = picks.stream()
                .filter(p -> again.get(p.jobId()).contains(p.taskIndex()))
                .toList();
        List<FairShare.Pick> first = picks.stream()
                .filter(p -> !again.get(p.jobId()).contains(p.taskIndex()))
                .toList();
        List<DispatchStore.NewAttempt> created = new ArrayList<>(queue.createAgain(type, runAgain));
        created.addAll(queue.createFirst(type, first));
        // the messages go out in the order the slots were given
        Map<FairShare.Pick, Integer> order = new HashMap<>();
        for (int i = 0; i < picks.size(); i++) {
            order.put(picks.get(i), i);
        }
        created.sort(Comparator.comparingInt(
                a -> order.getOrDefault(new FairShare.Pick(a.job().jobId(), a.index()), Integer.MAX_VALUE)));
        messages(type, created, fx);
    }

    private void messages(TaskType type, List<DispatchStore.NewAttempt> created, Effects fx) {
        Map<UUID, JobRow> jobs = new HashMap<>();
        Map<UUID, List<MapRunRef>> mapRuns = new HashMap<>();
        for (DispatchStore.NewAttempt a : created) {
            JobRow job = a.job();
            jobs.put(job.jobId(), job);
            TaskMessage m = type == TaskType.MAP
                    ? job.mapTask(a.index(), a.attempt(), MapInput.decode(a.input(), job.readsFiles()))
                    : job.reduceTask(
                            a.index(), a.attempt(), mapRuns.computeIfAbsent(job.jobId(), tasks::committedMaps));
            fx.dispatch.add(m.withAttempt(a.attempt(), a.avoid()));
        }
        for (JobRow job : jobs.values()) {
            if (job.status() == JobStatus.PENDING) {
                store.moveJob(job.jobId(), JobStatus.RUNNING, JobStatus.PENDING);
            }
            store.notifyChanged(job.jobId());
        }
        log.debug("dispatching {} {} attempt(s)", created.size(), type.tag());
    }

    /**
     * Whether a backup attempt of a task of {@code jobId} may start: all jobs together are under
     * their limit, and no task of the job waits for a slot (a backup never overtakes one).
     */
    public boolean roomForBackup(UUID jobId, TaskType type) {
        DispatchStore.Slots slots = queue.slots(type);
        return slots.inFlightTotal() < limits.maxInFlight(slots.liveWorkers()) && !queue.anyWaiting(jobId, type);
    }

    // ---- sending -------------------------------------------------------------------------------

    /** Sends the committed change's task messages without waiting; acknowledged ones are marked later. */
    public void send(List<TaskMessage> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        List<AttemptRef> refs = tasks.stream().map(AttemptRef::of).toList();
        unmarked.addAll(refs);
        outbox.send(tasks).whenComplete((ok, e) -> {
            if (e == null) {
                acknowledged.addAll(refs);
            } else {
                refs.forEach(unmarked::remove);
                log.warn("could not dispatch {} task(s), will send them again: {}", tasks.size(), e.getMessage());
            }
        });
    }

    /**
     * Sends, for the caller to wait for Kafka's acknowledgement of every message and then mark them
     * ({@link #marked}).
     */
    public CompletableFuture<Void> sendNow(List<TaskMessage> tasks) {
        List<AttemptRef> refs = tasks.stream().map(AttemptRef::of).toList();
        unmarked.addAll(refs);
        return outbox.send(tasks).whenComplete((ok, e) -> {
            if (e != null) {
                refs.forEach(unmarked::remove);
            }
        });
    }

    /** Whether this attempt's message was sent and is not marked yet: with Kafka, or acknowledged since the last change. */
    public boolean unmarked(AttemptRef attempt) {
        return unmarked.contains(attempt);
    }

    /** Forgets attempts {@link #sendNow} sent once the caller marked them dispatched. */
    public void marked(List<AttemptRef> attempts) {
        attempts.forEach(unmarked::remove);
    }

    /**
     * Marks dispatched, in the caller's transaction, the attempts acknowledged since the last
     * call; returns them, to be given back with {@link #unmark} if the transaction rolls back.
     */
    public List<AttemptRef> markAcknowledged() {
        List<AttemptRef> marked = new ArrayList<>();
        for (AttemptRef a; (a = acknowledged.poll()) != null; ) {
            marked.add(a);
        }
        attempts.markDispatched(marked);
        marked.forEach(unmarked::remove);
        return marked;
    }

    /** Gives back what {@link #markAcknowledged} returned, when its transaction rolled back. */
    public void unmark(List<AttemptRef> marked) {
        unmarked.addAll(marked);
        acknowledged.addAll(marked);
    }
}
