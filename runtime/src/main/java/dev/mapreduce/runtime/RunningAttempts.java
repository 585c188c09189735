package dev.mapreduce.runtime;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The attempts one worker is running right now, each with its {@link Cancellation}: what its
 * heartbeats list and what a control message can stop. Orders are remembered (the latest
 * {@value #REMEMBERED} of each kind), so an attempt of a cancelled job that the worker takes only
 * after the order arrived stops at once. Thread-safe.
 */
public final class RunningAttempts {

    static final int REMEMBERED = 1000;

    private static final String ATTEMPT_CANCELLED = "attempt cancelled by the coordinator";

    private final Map<AttemptRef, Cancellation> running = new LinkedHashMap<>();
    private final Set<UUID> cancelledJobs = remembered();
    private final Set<AttemptRef> cancelledAttempts = remembered();

    /** Registers {@code attempt} as running; its cancellation is already cancelled if an order named it. */
    public synchronized Cancellation begin(AttemptRef attempt) {
        Cancellation cancellation = new Cancellation();
        if (cancelledJobs.contains(attempt.jobId())) {
            cancellation.cancel(jobCancelled(attempt.jobId()));
        } else if (cancelledAttempts.contains(attempt)) {
            cancellation.cancel(ATTEMPT_CANCELLED);
        }
        running.put(attempt, cancellation);
        return cancellation;
    }

    public synchronized void end(AttemptRef attempt) {
        running.remove(attempt);
    }

    /** The attempts running now, in the order they began. */
    public synchronized List<AttemptRef> list() {
        return List.copyOf(running.keySet());
    }

    /** Cancels every running attempt the order stops and remembers it; returns the attempts it stopped. */
    public synchronized List<AttemptRef> apply(ControlMessage order) {
        String reason;
        if (order.kind() == ControlMessage.Kind.CANCEL_JOB) {
            cancelledJobs.add(order.jobId());
            reason = jobCancelled(order.jobId());
        } else {
            cancelledAttempts.add(order.attempt());
            reason = ATTEMPT_CANCELLED;
        }
        List<AttemptRef> stopped = new ArrayList<>();
        running.forEach((attempt, cancellation) -> {
            if (order.stops(attempt) && !cancellation.isCancelled()) {
                cancellation.cancel(reason);
                stopped.add(attempt);
            }
        });
        return stopped;
    }

    private static String jobCancelled(UUID jobId) {
        return "job " + jobId + " was cancelled";
    }

    private static <T> Set<T> remembered() {
        return Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
                return size() > REMEMBERED;
            }
        });
    }
}
