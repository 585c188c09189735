package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.job.JobControl;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two coordinators on one database, the leader and a standby, as a standby serves requests too. A
 * cancel the standby serves frees dispatch slots, but only the leader gives them to waiting tasks,
 * so each attempt's message is sent once. (Failure 7 of issue 15: the standby sent the waiting
 * tasks itself and, making no further change, never marked them dispatched; the leader sent the
 * same attempts again 3 s later, so each reached two workers.)
 */
class StandbyCancelIT {

    static SchedulerRig rig;
    static JobStore store;
    static Scheduler leader;
    static Scheduler standby;
    static final Sent byLeader = new Sent("leader");
    static final Sent byStandby = new Sent("standby");
    static ScheduledExecutorService monitor;

    /** The task messages one coordinator sent; Kafka takes each at once. */
    static final class Sent implements Outbox {
        final String by;
        final Queue<TaskMessage> tasks = new ConcurrentLinkedQueue<>();

        Sent(String by) {
            this.by = by;
        }

        @Override
        public CompletableFuture<Void> send(List<TaskMessage> sent) {
            tasks.addAll(sent);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void sendControls(List<ControlMessage> controls) {}
    }

    @BeforeAll
    static void coordinators() {
        // two map attempts in flight in all: a second job's maps wait for the first's slots
        SchedulerSettings settings = SchedulerRig.settings(Duration.ofSeconds(5), 10, 2);
        rig = SchedulerRig.create(
                "standby_cancel", 4, settings, byLeader, new CoordinatorMetrics(new SimpleMeterRegistry()));
        store = rig.store();
        leader = rig.scheduler();
        standby = rig.another(byStandby, new CoordinatorMetrics(new SimpleMeterRegistry()), settings);
        monitor = Executors.newSingleThreadScheduledExecutor();
        // the standby runs no monitor duties
        rig.monitorEvery(settings.monitorInterval(), monitor);
    }

    @AfterAll
    static void close() {
        monitor.shutdownNow();
        rig.close();
    }

    /** Submits a job of {@code maps} map tasks on the leader; returns the messages it sends at once. */
    static List<TaskMessage> submit(UUID jobId, int maps) {
        List<MapInput> splits = new ArrayList<>();
        for (int i = 0; i < maps; i++) {
            splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, i, i + 1))));
        }
        JobRequest request =
                new JobRequest("standby-cancel", "t", null, null, null, maps, 1, "WORD_COUNT", "SUM", Map.of(), true);
        List<TaskMessage> sent = leader.startJob(jobId, request, splits, maps, null);
        // as the submit does once Kafka took them
        leader.markDispatched(sent.stream().map(AttemptRef::of).toList());
        return sent;
    }

    /** Who sent each attempt of {@code jobId}: one name per message. */
    static Map<AttemptRef, List<String>> senders(UUID jobId) {
        return Stream.of(byLeader, byStandby)
                .flatMap(outbox -> outbox.tasks.stream()
                        .filter(t -> t.jobId().equals(jobId))
                        .map(t -> Map.entry(AttemptRef.of(t), outbox.by)))
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    @Test
    void aCancelOnTheStandbyFreesSlotsThatTheLeaderFillsSendingEachAttemptOnce() {
        UUID running = UUID.randomUUID();
        assertThat(submit(running, 2)).hasSize(2);
        UUID waiting = UUID.randomUUID();
        assertThat(submit(waiting, 2)).isEmpty(); // no slot left

        assertThat(new JobControl(standby, store).cancel(running)).isEqualTo(JobControl.CancelOutcome.CANCELLED);

        await().atMost(Duration.ofSeconds(10)).until(() -> senders(waiting).size() == 2);
        // past the 3 s after which the leader sends again an attempt that no change marked dispatched
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> assertThat(
                        senders(waiting))
                .as("who sent each attempt of the waiting job")
                .allSatisfy((attempt, by) -> assertThat(by).hasSize(1)));
        assertThat(byStandby.tasks).isEmpty();
    }
}
