package dev.mapreduce.coordinator.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The life of a task, as the {@code tasks.status} column holds it.
 *
 * <pre>
 *   PENDING ──(an attempt started)──▶ RUNNING ──(an attempt's success is trusted)──▶ COMPLETED
 *     ▲  │                             │  │                                            │
 *     │  │                             │  └── failed maxAttempts times ──▶ FAILED       │
 *     │  └── job failed or cancelled ──┴─────────────────────────────────▶ CANCELLED    │
 *     ├── a failed attempt's backoff, a lost attempt, an input being recomputed ◀────┘ (its map output was lost)
 * </pre>
 *
 * A PENDING task may complete without ever being RUNNING (its attempt's STARTED and SUCCEEDED arrive
 * in one batch, or a reduce's commit is found by reconciling).
 */
public enum TaskStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** {@code ('PENDING', 'RUNNING')}: the live statuses as an SQL list, for {@code status IN}. */
    public static final String LIVE_SQL = Arrays.stream(values())
            .filter(TaskStatus::isLive)
            .map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** PENDING or RUNNING: the task still waits for an attempt to succeed. */
    public boolean isLive() {
        return this == PENDING || this == RUNNING;
    }

    /** Whether a task in this status may move to {@code next}. */
    public boolean canTransitionTo(TaskStatus next) {
        return switch (this) {
            case PENDING -> true; // PENDING again: a queued attempt was lost and the task waits anew
            case RUNNING -> next != RUNNING;
            case COMPLETED -> next == PENDING;
            case FAILED, CANCELLED -> false;
        };
    }

    /** Reads a {@code status} column; null stays null. */
    public static TaskStatus of(String column) {
        return column == null ? null : valueOf(column);
    }
}
