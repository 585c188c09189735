package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
        TestFaults disabled = new TestFaults(false, 9, true, 5, true, 60_000, null);

        assertThat(disabled.active()).isEmpty();
        assertThatCode(() -> disabled.beforeWork(attempt(1), new Cancellation()))
                .doesNotThrowAnyException();
        assertThatCode(() -> disabled.afterWork(Duration.ofHours(1), new Cancellation()))
                .doesNotThrowAnyException();
    }

    @Test
    void theFirstAttemptsFailAndTheNextOnesRun() {
        TestFaults faults = new TestFaults(true, 2, false, 0, false, 0, null);
        TaskMessage second = attempt(2);

        assertThatThrownBy(() -> faults.beforeWork(second, new Cancellation()))
                .isInstanceOf(InjectedFaultException.class)
                .hasMessage("injected failure of attempt " + second.attemptName());
        assertThatCode(() -> faults.beforeWork(attempt(3), new Cancellation())).doesNotThrowAnyException();
    }

    @Test
    void failAlwaysFailsEveryAttempt() {
        TestFaults faults = new TestFaults(true, 0, true, 0, false, 0, null);

        assertThatThrownBy(() -> faults.beforeWork(attempt(17), new Cancellation()))
                .isInstanceOf(InjectedFaultException.class);
    }

    @Test
    void aStallOrASlowdownEndsWhenTheAttemptIsCancelled() {
        TestFaults faults = new TestFaults(true, 0, false, 1000, false, 600_000, null);
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
        TestFaults faults = new TestFaults(true, 0, false, 3, false, 0, null);

        long start = System.nanoTime();
        faults.afterWork(Duration.ofMillis(50), new Cancellation());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void namesWhatIsActive() {
        assertThat(new TestFaults(true, 1, true, 5, true, 250, null).active())
                .isEqualTo(List.of(
                        "fail-first-attempts=1",
                        "fail-always=true",
                        "slowdown=5.0",
                        "crash-after-start=true",
                        "stall-ms=250"));
        assertThat(TestFaults.NONE.active()).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TestFaults(true, 0, false, 0.5, false, 0, null))
                .hasMessageContaining("mapreduce.test-faults.slowdown");
        assertThatThrownBy(() -> new TestFaults(true, -1, false, 0, false, 0, null))
                .hasMessageContaining("fail-first-attempts");
        assertThatThrownBy(() -> new TestFaults(true, 0, false, 0, false, -5, null))
                .hasMessageContaining("stall-ms");
    }
}
