package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFaultsTest {

    private static TaskMessage attempt(int attempt) {
        return new TaskMessage(
                UUID.randomUUID(),
                TaskType.MAP,
                4,
                attempt,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                1,
                "t",
                null,
                null,
                null);
    }

    @Test
    void nothingHappensUnlessEnabled() {
        TestFaults disabled = new TestFaults(false, 9, true, 5, true, 60_000, null, null);

        assertThat(disabled.active()).isEmpty();
        assertThatCode(() -> disabled.beforeWork(attempt(1), new Cancellation()))
                .doesNotThrowAnyException();
        assertThatCode(() -> disabled.afterWork(Duration.ofHours(1), new Cancellation()))
                .doesNotThrowAnyException();
    }

    @Test
    void theFirstAttemptsFailAndTheNextOnesRun() {
        TestFaults faults = new TestFaults(true, 2, false, 0, false, 0, null, null);
        TaskMessage second = attempt(2);

        assertThatThrownBy(() -> faults.beforeWork(second, new Cancellation()))
                .isInstanceOf(InjectedFaultException.class)
                .hasMessage("injected failure of attempt " + second.attemptName());
        assertThatCode(() -> faults.beforeWork(attempt(3), new Cancellation())).doesNotThrowAnyException();
    }

    @Test
    void failAlwaysFailsEveryAttempt() {
        TestFaults faults = new TestFaults(true, 0, true, 0, false, 0, null, null);

        assertThatThrownBy(() -> faults.beforeWork(attempt(17), new Cancellation()))
                .isInstanceOf(InjectedFaultException.class);
    }

    @Test
    void aStallOrASlowdownEndsWhenTheAttemptIsCancelled() {
        TestFaults faults = new TestFaults(true, 0, false, 1000, false, 600_000, null, null);
        Cancellation cancelled = new Cancellation();
        cancelled.cancel("job was cancelled");

        assertThatThrownBy(() -> faults.beforeWork(attempt(1), cancelled))
                .isInstanceOf(TaskCancelledException.class)
                .hasMessage("job was cancelled");
        assertThatThrownBy(() -> faults.afterWork(Duration.ofSeconds(10), cancelled))
                .isInstanceOf(TaskCancelledException.class);
    }

    @Test
    void aSlowdownWaitsTheExtraTime() {
        TestFaults faults = new TestFaults(true, 0, false, 3, false, 0, null, null);

        long start = System.nanoTime();
        faults.afterWork(Duration.ofMillis(50), new Cancellation());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void anAttemptWaitsWhileAMarkerNamesItAndGoesOnOnceItIsGone(@TempDir Path holds) throws Exception {
        TestFaults faults = new TestFaults(true, 0, false, 0, false, 0, null, holds.toString());
        TaskMessage task = attempt(1);
        Path marker = Files.createFile(holds.resolve(task.jobId() + ".MAP-4"));
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> faults.beforeWork(task, new Cancellation()));

        // held: it stays before its work as long as the marker is there (an unheld one ends in microseconds)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !work.isDone());
        Files.delete(marker);

        assertThat(work).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void markersNameATypeATaskAndOptionallyAJob(@TempDir Path holds) {
        TestFaults faults = new TestFaults(true, 0, false, 0, false, 0, null, holds.toString());
        TaskMessage task = attempt(1);

        assertThat(faults.holdMarkers(task))
                .containsExactly(
                        holds.resolve("MAP"),
                        holds.resolve("MAP-4"),
                        holds.resolve(task.jobId() + ".MAP"),
                        holds.resolve(task.jobId() + ".MAP-4"));
    }

    @Test
    void aMarkerForAnotherTaskOrTypeHoldsNothing(@TempDir Path holds) throws Exception {
        TestFaults faults = new TestFaults(true, 0, false, 0, false, 0, null, holds.toString());
        Files.createFile(holds.resolve("REDUCE"));
        Files.createFile(holds.resolve("MAP-5"));
        Files.createFile(holds.resolve(UUID.randomUUID() + ".MAP"));

        assertThat(CompletableFuture.runAsync(() -> faults.beforeWork(attempt(1), new Cancellation())))
                .succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void aHeldAttemptStopsWhenCancelled(@TempDir Path holds) throws Exception {
        TestFaults faults = new TestFaults(true, 0, false, 0, false, 0, null, holds.toString());
        Files.createFile(holds.resolve("MAP"));
        Cancellation cancellation = new Cancellation();
        CompletableFuture<Void> work = CompletableFuture.runAsync(() -> faults.beforeWork(attempt(1), cancellation));

        cancellation.cancel("worker lost its attempt");

        assertThat(work)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TaskCancelledException.class);
    }

    @Test
    void namesWhatIsActive() {
        assertThat(new TestFaults(true, 1, true, 5, true, 250, null, null).active())
                .isEqualTo(List.of(
                        "fail-first-attempts=1",
                        "fail-always=true",
                        "slowdown=5.0",
                        "crash-after-start=true",
                        "stall-ms=250"));
        assertThat(new TestFaults(true, 0, false, 0, false, 0, null, "/holds").active())
                .isEqualTo(List.of("hold-dir=/holds"));
        assertThat(TestFaults.NONE.active()).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TestFaults(true, 0, false, 0.5, false, 0, null, null))
                .hasMessageContaining("mapreduce.test-faults.slowdown");
        assertThatThrownBy(() -> new TestFaults(true, -1, false, 0, false, 0, null, null))
                .hasMessageContaining("fail-first-attempts");
        assertThatThrownBy(() -> new TestFaults(true, 0, false, 0, false, -5, null, null))
                .hasMessageContaining("stall-ms");
    }
}
