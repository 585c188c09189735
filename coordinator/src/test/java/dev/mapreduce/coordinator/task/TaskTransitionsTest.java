package dev.mapreduce.coordinator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.coordinator.task.TaskTransitions.AfterFailure;
import dev.mapreduce.coordinator.task.TaskTransitions.Then;
import dev.mapreduce.coordinator.task.TaskTransitions.Transition;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TaskTransitionsTest {

    /**
     * The lifecycle, as a reader checks it: the first row that matches a case gives its outcome.
     * Columns: the attempt's status ({@code live}: QUEUED or RUNNING; {@code ended}: any other), the
     * task's ({@code open}: PENDING or RUNNING; {@code closed}: any other), the job's ({@code running} or {@code ended}), the
     * event ({@code SUCCEEDED*}: the three successes), what the attempt becomes ({@code -}: unchanged)
     * and what the task does next.
     */
    private static final String TABLE =
            """
            ended    *          *        STARTED                    -           STOP_WORKER
            ended    *          running  SUCCEEDED*                 -           SETTLE_REDUCE
            ended    *          *        *                          -           NOTHING
            live     *          ended    STARTED                    -           NOTHING
            live     *          running  STARTED                    RUNNING     START_TASK
            live     *          ended    SUCCEEDED*                 SUPERSEDED  NOTHING
            live     closed     running  SUCCEEDED*                 SUPERSEDED  SETTLE_REDUCE
            live     open       running  SUCCEEDED                  SUCCEEDED   COMPLETE_TASK
            live     open       running  SUCCEEDED_UNCOMMITTED      -           NOTHING
            live     open       running  SUCCEEDED_OTHER_COMMITTED  SUPERSEDED  SETTLE_REDUCE
            live     open       running  FAILED                     FAILED      RETRY_OR_FAIL
            live     open       running  FETCH_FAILED               FAILED      RECOVER_LINEAGE
            live     open       running  ABORTED                    KILLED      RUN_AGAIN
            live     open       running  LOST                       KILLED      RUN_AGAIN
            QUEUED   open       running  START_TIMED_OUT            KILLED      RUN_AGAIN
            RUNNING  *          *        START_TIMED_OUT            -           NOTHING
            live     *          *        FAILED                     FAILED      NOTHING
            live     *          *        FETCH_FAILED               FAILED      NOTHING
            live     *          *        ABORTED                    KILLED      NOTHING
            live     *          *        LOST                       KILLED      NOTHING
            QUEUED   *          *        START_TIMED_OUT            KILLED      NOTHING
            """;

    private static final List<String[]> ROWS = TABLE.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .map(l -> l.split("\\s+"))
            .toList();

    static Stream<Arguments> everyCase() {
        List<Arguments> cases = new ArrayList<>();
        for (AttemptStatus attempt : AttemptStatus.values()) {
            for (TaskStatus task : TaskStatus.values()) {
                for (boolean jobEnded : new boolean[] {false, true}) {
                    for (AttemptEvent event : AttemptEvent.values()) {
                        cases.add(Arguments.of(attempt, task, jobEnded, event));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} attempt of a {1} task, job ended {2}: {3}")
    @MethodSource("everyCase")
    void everyEventInEveryStateHasTheOutcomeOfTheTable(
            AttemptStatus attempt, TaskStatus task, boolean jobEnded, AttemptEvent event) {
        Transition outcome = TaskTransitions.decide(attempt, task, jobEnded, event);

        assertThat(outcome).isEqualTo(expected(attempt, task, jobEnded, event));
        if (outcome.changesAttempt()) {
            assertThat(attempt.canTransitionTo(outcome.attemptBecomes()))
                    .as("%s may become %s", attempt, outcome.attemptBecomes())
                    .isTrue();
        }
    }

    @Test
    void everyRowOfTheTableDecidesSomeCase() {
        Set<Integer> used = new HashSet<>();
        everyCase().forEach(c -> {
            Object[] a = c.get();
            used.add(row((AttemptStatus) a[0], (TaskStatus) a[1], (boolean) a[2], (AttemptEvent) a[3]));
        });
        for (int i = 0; i < ROWS.size(); i++) {
            assertThat(used)
                    .as("row %d of the table: %s", i + 1, String.join(" ", ROWS.get(i)))
                    .contains(i);
        }
    }

    private static Transition expected(AttemptStatus attempt, TaskStatus task, boolean jobEnded, AttemptEvent event) {
        String[] row = ROWS.get(row(attempt, task, jobEnded, event));
        return new Transition(row[4].equals("-") ? null : AttemptStatus.valueOf(row[4]), Then.valueOf(row[5]));
    }

    /** The index of the first row of the table that matches the case. */
    private static int row(AttemptStatus attempt, TaskStatus task, boolean jobEnded, AttemptEvent event) {
        for (int i = 0; i < ROWS.size(); i++) {
            String[] row = ROWS.get(i);
            if (matches(row[0], attempt)
                    && matches(row[1], task)
                    && matchesJob(row[2], jobEnded)
                    && matches(row[3], event)) {
                return i;
            }
        }
        throw new AssertionError("no row of the table for " + attempt + " " + task + " " + jobEnded + " " + event);
    }

    private static boolean matches(String cell, AttemptStatus attempt) {
        return switch (cell) {
            case "live" -> attempt.isLive();
            case "ended" -> !attempt.isLive();
            default -> cell.equals(attempt.name());
        };
    }

    private static boolean matches(String cell, TaskStatus task) {
        return switch (cell) {
            case "*" -> true;
            case "open" -> task.isLive();
            case "closed" -> !task.isLive();
            default -> cell.equals(task.name());
        };
    }

    private static boolean matchesJob(String cell, boolean jobEnded) {
        return cell.equals("*") || cell.equals(jobEnded ? "ended" : "running");
    }

    private static boolean matches(String cell, AttemptEvent event) {
        return cell.equals("*")
                || cell.equals(event.name())
                || (cell.equals("SUCCEEDED*") && event.name().startsWith("SUCCEEDED"));
    }

    @ParameterizedTest
    @EnumSource(AttemptStatus.class)
    void anAttemptMovesOnlyAsItsTableAllows(AttemptStatus from) {
        Set<AttemptStatus> allowed = new HashSet<>();
        for (AttemptStatus to : AttemptStatus.values()) {
            if (from.canTransitionTo(to)) {
                allowed.add(to);
                assertThat(TaskTransitions.attemptMove(from, to)).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> TaskTransitions.attemptMove(from, to))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(from + " to " + to);
            }
        }
        Set<AttemptStatus> expected =
                switch (from) {
                    case QUEUED, RUNNING ->
                        Set.of(
                                AttemptStatus.RUNNING,
                                AttemptStatus.SUCCEEDED,
                                AttemptStatus.FAILED,
                                AttemptStatus.KILLED,
                                AttemptStatus.SUPERSEDED);
                    case SUCCEEDED -> Set.of(AttemptStatus.SUPERSEDED);
                    case FAILED, KILLED, SUPERSEDED -> Set.of();
                };
        assertThat(allowed).isEqualTo(expected);
        assertThat(from.isLive()).isEqualTo(from == AttemptStatus.QUEUED || from == AttemptStatus.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(TaskStatus.class)
    void aTaskMovesOnlyAsItsTableAllows(TaskStatus from) {
        Set<TaskStatus> allowed = new HashSet<>();
        for (TaskStatus to : TaskStatus.values()) {
            if (from.canTransitionTo(to)) {
                allowed.add(to);
                assertThat(TaskTransitions.taskMove(from, to)).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> TaskTransitions.taskMove(from, to)).isInstanceOf(IllegalStateException.class);
            }
        }
        Set<TaskStatus> expected =
                switch (from) {
                    case PENDING -> Set.of(TaskStatus.values());
                    case RUNNING ->
                        Set.of(TaskStatus.PENDING, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED);
                    case COMPLETED -> Set.of(TaskStatus.PENDING);
                    case FAILED, CANCELLED -> Set.of();
                };
        assertThat(allowed).isEqualTo(expected);
        assertThat(from.isLive()).isEqualTo(from == TaskStatus.PENDING || from == TaskStatus.RUNNING);
    }

    @Test
    void theLiveStatusesAreOneSqlList() {
        assertThat(AttemptStatus.LIVE_SQL).isEqualTo("('QUEUED', 'RUNNING')");
        assertThat(TaskStatus.LIVE_SQL).isEqualTo("('PENDING', 'RUNNING')");
    }

    @Test
    void aFailureWaitsForALiveBackupThenRetriesUntilMaxAttempts() {
        assertThat(TaskTransitions.afterFailure(4, 4, true)).isEqualTo(AfterFailure.WAIT_FOR_BACKUP);
        assertThat(TaskTransitions.afterFailure(1, 4, false)).isEqualTo(AfterFailure.RETRY);
        assertThat(TaskTransitions.afterFailure(3, 4, false)).isEqualTo(AfterFailure.RETRY);
        assertThat(TaskTransitions.afterFailure(4, 4, false)).isEqualTo(AfterFailure.FAIL_JOB);
    }

    @Test
    void aReduceSuccessIsToldApartByItsCommitRow() {
        assertThat(AttemptEvent.of(event(TaskType.REDUCE, TaskEvent.Kind.SUCCEEDED, 2), 2))
                .isEqualTo(AttemptEvent.SUCCEEDED);
        assertThat(AttemptEvent.of(event(TaskType.REDUCE, TaskEvent.Kind.SUCCEEDED, 2), 1))
                .isEqualTo(AttemptEvent.SUCCEEDED_OTHER_COMMITTED);
        assertThat(AttemptEvent.of(event(TaskType.REDUCE, TaskEvent.Kind.SUCCEEDED, 2), null))
                .isEqualTo(AttemptEvent.SUCCEEDED_UNCOMMITTED);
        assertThat(AttemptEvent.of(event(TaskType.MAP, TaskEvent.Kind.SUCCEEDED, 2), null))
                .isEqualTo(AttemptEvent.SUCCEEDED);
        assertThat(AttemptEvent.of(event(TaskType.MAP, TaskEvent.Kind.ABORTED, 2), null))
                .isEqualTo(AttemptEvent.ABORTED);
        assertThatThrownBy(() -> AttemptEvent.of(event(TaskType.MAP, TaskEvent.Kind.HEARTBEAT, 0), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskEvent event(TaskType type, TaskEvent.Kind kind, int attempt) {
        return new TaskEvent(
                UUID.randomUUID(), type, 0, attempt, "w1", kind, AttemptCounters.NONE, null, null, null, null, null);
    }
}
