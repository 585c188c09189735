package dev.mapreduce.coordinator;

/** A submit over its owner's cap of queued and running jobs ({@link TenantLimits#maxActiveJobs}): a 429. */
class TooManyJobsException extends RuntimeException {

    /** Seconds a refused caller is told to wait: jobs take a while, and none may end sooner. */
    static final int RETRY_AFTER_SECONDS = 30;

    private final int active;
    private final int limit;

    TooManyJobsException(String owner, int active, int limit) {
        super("tenant " + owner + " already has " + active + " jobs queued or running, the most one tenant may ("
                + limit + "); wait for one to end, or cancel one");
        this.active = active;
        this.limit = limit;
    }

    int active() {
        return active;
    }

    int limit() {
        return limit;
    }
}
