package dev.mapreduce.runtime;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attempt's work again while it fails with an {@linkplain Outages outage}, pausing 1 s,
 * then twice as long each time up to 10 s, for at most {@code limit} in all; the last failure
 * then goes out as the attempt's. A cancelled attempt stops waiting at once.
 */
public final class OutageWait {

    private static final Logger log = LoggerFactory.getLogger(OutageWait.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    /** An attempt's work, run from the start each time. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final Duration limit;

    /** @param limit how long an attempt may wait out outages in all; zero fails it at the first */
    public OutageWait(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("the outage wait must be 0 or more, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * The result of {@code work}, the work of attempt {@code attemptName}, run again after each
     * outage while the wait lasts.
     *
     * @throws E what {@code work} threw last: not an outage, or an outage that outlasted the wait
     * @throws TaskCancelledException if the attempt is cancelled while waiting
     */
    public <T, E extends Exception> T run(String attemptName, Cancellation cancellation, Work<T, E> work) throws E {
        long start = System.nanoTime();
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return work.run();
            } catch (Exception e) {
                long waited = System.nanoTime() - start;
                if (!Outages.isOutage(e) || waited + pause.toNanos() > limit.toNanos()) {
                    throw e;
                }
                log.warn(
                        "{} met an outage, running it again in {} ms ({} s of {} s waited): {}",
                        attemptName,
                        pause.toMillis(),
                        Duration.ofNanos(waited).toSeconds(),
                        limit.toSeconds(),
                        e.toString());
                cancellation.sleep(pause);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
