package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.protocol.JobStatus;
import java.util.UUID;

/** A monitor duty: starts the reduce phase of jobs left at MAP_COMPLETED (by a coordinator that stopped). */
public final class StartWaitingReducePhases implements Runnable {

    private final Scheduler scheduler;
    private final JobStore store;

    public StartWaitingReducePhases(Scheduler scheduler, JobStore store) {
        this.scheduler = scheduler;
        this.store = store;
    }

    @Override
    public void run() {
        for (UUID jobId : store.jobsAt(JobStatus.MAP_COMPLETED)) {
            scheduler.startReducePhase(jobId);
        }
    }
}
