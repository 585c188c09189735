package dev.mapreduce.coordinator.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;

/**
 * Which waiting tasks of one type get the free dispatch slots: one slot at a time to the job with
 * the fewest attempts in flight, the older job first on a tie, never past the per-job limit. Jobs
 * with work waiting thus take turns (round-robin), and a job just submitted, having nothing in
 * flight, gets the next free slots before a big job's backlog.
 */
final class FairShare {

    /** A job with tasks waiting, in the order they are to run, and its attempts in flight now. */
    record Job(UUID jobId, Instant createdAt, int inFlight, List<Integer> waiting) {}

    /** A task that gets a slot. */
    record Pick(UUID jobId, int taskIndex) {}

    private FairShare() {}

    static List<Pick> pick(List<Job> jobs, int jobLimit, int free) {
        List<Pick> picks = new ArrayList<>();
        PriorityQueue<Turn> turns = new PriorityQueue<>(Comparator.comparingInt((Turn t) -> t.inFlight)
                .thenComparing(t -> t.job.createdAt())
                .thenComparing(t -> t.job.jobId()));
        for (Job job : jobs) {
            if (job.inFlight() < jobLimit && !job.waiting().isEmpty()) {
                turns.add(new Turn(job));
            }
        }
        while (free > 0 && !turns.isEmpty()) {
            Turn t = turns.poll();
            picks.add(new Pick(t.job.jobId(), t.job.waiting().get(t.next++)));
            t.inFlight++;
            free--;
            if (t.inFlight < jobLimit && t.next < t.job.waiting().size()) {
                turns.add(t);
            }
        }
        return picks;
    }

    private static final class Turn {
        final Job job;
        int inFlight;
        int next;

        Turn(Job job) {
            this.job = job;
            this.inFlight = job.inFlight();
        }
    }
}
