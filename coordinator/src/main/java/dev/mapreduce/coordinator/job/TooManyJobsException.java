package dev.mapreduce.coordinator.job;

/** A submit over its owner's cap of queued and running jobs ({@link TenantLimits#maxActiveJobs}): a 429. */
public class TooManyJobsException extends RuntimeException {

    /** Seconds a refused caller is told to wait: jobs take a while, and none may end sooner. */
    public static final int RETRY_AFTER_SECONDS = 30;

    private final int active;
    private final int limit;

    public TooManyJobsException(String owner, int active, int limit) {
        super("tenant " + owner + " already has " + active + " jobs queued or running, the most one tenant may ("
                + limit + "); wait for one to end, or cancel one");
        this.active = active;
        this.limit = limit;
    }

    public int active() {
        return active;
    }

    public int limit() {
        return limit;
    }
}
