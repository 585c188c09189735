package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunningAttemptsTest {

    private final RunningAttempts attempts = new RunningAttempts();
    private final UUID job = UUID.randomUUID();
    private final AttemptRef map0 = new AttemptRef(job, TaskType.MAP, 0, 1);

    @Test
    void listsTheAttemptsRunningNow() {
        AttemptRef map1 = new AttemptRef(job, TaskType.MAP, 1, 2);
        attempts.begin(map0);
        attempts.begin(map1);
        assertThat(attempts.list()).containsExactly(map0, map1);

        attempts.end(map0);

        assertThat(attempts.list()).containsExactly(map1);
    }

    @Test
    void cancellingAJobStopsItsAttemptsOnly() {
        Cancellation ours = attempts.begin(map0);
        Cancellation other = attempts.begin(new AttemptRef(UUID.randomUUID(), TaskType.MAP, 0, 1));

        assertThat(attempts.apply(ControlMessage.cancelJob(job))).containsExactly(map0);

        assertThat(ours.isCancelled()).isTrue();
        assertThat(ours.reason()).isEqualTo("job " + job + " was cancelled");
        assertThat(other.isCancelled()).isFalse();
        assertThatThrownBy(ours::throwIfCancelled)
                .isInstanceOf(TaskCancelledException.class)
                .hasMessage("job " + job + " was cancelled");
    }

    @Test
    void cancellingAnAttemptStopsThatAttemptOnly() {
        Cancellation first = attempts.begin(map0);
        Cancellation second = attempts.begin(new AttemptRef(job, TaskType.MAP, 0, 2));

        attempts.apply(ControlMessage.cancelAttempt(map0));

        assertThat(first.reason()).isEqualTo("attempt cancelled by the coordinator");
        assertThat(second.isCancelled()).isFalse();
    }

    @Test
    void anAttemptTakenAfterItsJobWasCancelledIsCancelledFromTheStart() {
        attempts.apply(ControlMessage.cancelJob(job));
        attempts.apply(ControlMessage.cancelAttempt(new AttemptRef(UUID.randomUUID(), TaskType.REDUCE, 3, 1)));

        assertThat(attempts.begin(map0).isCancelled()).isTrue();
        assertThat(attempts.begin(new AttemptRef(UUID.randomUUID(), TaskType.REDUCE, 3, 1))
                        .isCancelled())
                .isFalse();
    }

    @Test
    void aCancelledSleepEndsAtOnce() {
        Cancellation cancellation = attempts.begin(map0);
        new Thread(() -> attempts.apply(ControlMessage.cancelJob(job))).start();

        long start = System.nanoTime();
        assertThatThrownBy(() -> cancellation.sleep(Duration.ofMinutes(5))).isInstanceOf(TaskCancelledException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
