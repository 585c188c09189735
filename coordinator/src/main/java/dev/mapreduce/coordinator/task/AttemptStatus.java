package dev.mapreduce.coordinator.task;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The life of one attempt of a task, as the {@code task_attempts.status} column holds it.
 *
 * <pre>
 *            STARTED                 SUCCEEDED (trusted)
 *   QUEUED ──────────▶ RUNNING ──────────────────────▶ SUCCEEDED ──(its map output was lost)──▶ SUPERSEDED
 *     │  ▲ redelivered  │  │
 *     │  └─────────────┘  ├── FAILED / FETCH_FAILED ─────▶ FAILED
 *     │                   ├── ABORTED, lost worker ──────▶ KILLED
 *     │                   └── another attempt won ───────▶ SUPERSEDED
 *     └── never started, lost worker, job ended ─────────▶ KILLED (or FAILED, SUPERSEDED, SUCCEEDED as RUNNING)
 * </pre>
 *
 * The coordinator trusts only its live attempts ({@link #isLive()}): an event from any other attempt
 * changes nothing but, at most, tells its worker to stop.
 */
public enum AttemptStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    KILLED,
    SUPERSEDED;

    /**
     * {@code ('QUEUED', 'RUNNING')}: the live statuses as an SQL list, for {@code status IN} (the one
     * spelling of "live" in SQL).
     */
    public static final String LIVE_SQL = Arrays.stream(values())
            .filter(AttemptStatus::isLive)
            .map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** QUEUED or RUNNING: an attempt the coordinator still trusts, which holds a dispatch slot. */
    public boolean isLive() {
        return this == QUEUED || this == RUNNING;
    }

    /** Whether an attempt in this status may move to {@code next}. */
    public boolean canTransitionTo(AttemptStatus next) {
        return switch (this) {
            // RUNNING again: a redelivered attempt moves to the worker that took it last
            case QUEUED, RUNNING -> next != QUEUED;
            // lineage recovery: the map output it committed was lost, and its task runs again
            case SUCCEEDED -> next == SUPERSEDED;
            case FAILED, KILLED, SUPERSEDED -> false;
        };
    }

    /** Reads a {@code status} column; null stays null. */
    public static AttemptStatus of(String column) {
        return column == null ? null : valueOf(column);
    }
}
