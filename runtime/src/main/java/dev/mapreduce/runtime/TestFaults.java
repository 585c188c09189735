package dev.mapreduce.runtime;

import dev.mapreduce.protocol.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults a worker injects into its own task attempts, for tests and chaos runs only. Nothing
 * happens unless {@code enabled}; a worker with faults enabled says so loudly at start. The
 * workers bind it from {@code mapreduce.test-faults.*} (environment {@code MAPREDUCE_TESTFAULTS_*}).
 *
 * @param enabled whether any of the others apply ({@code MAPREDUCE_TESTFAULTS_ENABLED})
 * @param failFirstAttempts attempts numbered up to this fail with {@link InjectedFaultException}
 *     ({@code MAPREDUCE_TESTFAULTS_FAILFIRSTATTEMPTS}); 0 for none
 * @param failAlways every attempt fails with {@link InjectedFaultException} ({@code MAPREDUCE_TESTFAULTS_FAILALWAYS})
 * @param slowdown F ≥ 1: after its real work an attempt waits (F − 1) × the time that work took,
 *     so it takes F times as long ({@code MAPREDUCE_TESTFAULTS_SLOWDOWN}); 0 or 1 for none
 * @param crashAfterStart halt the JVM (exit status 137, no shutdown hooks) once an attempt has
 *     reported STARTED and been acknowledged, as {@code kill -9} mid-task would
 *     ({@code MAPREDUCE_TESTFAULTS_CRASHAFTERSTART})
 * @param stallMs wait this long after STARTED before working ({@code MAPREDUCE_TESTFAULTS_STALLMS}); 0 for none
 * @param failTopics comma-separated input topics: every attempt of a map task reading one of them
 *     fails ({@code MAPREDUCE_TESTFAULTS_FAILTOPICS}), so one job can fail while others run
 */
public record TestFaults(
        boolean enabled,
        int failFirstAttempts,
        boolean failAlways,
        double slowdown,
        boolean crashAfterStart,
        long stallMs,
        String failTopics) {

    private static final Logger log = LoggerFactory.getLogger(TestFaults.class);

    public static final TestFaults NONE = new TestFaults(false, 0, false, 0, false, 0, null);

    public TestFaults {
        failTopics = failTopics == null ? "" : failTopics.strip();
        if (failFirstAttempts < 0) {
            throw new IllegalArgumentException(
                    "mapreduce.test-faults.fail-first-attempts must be 0 or more, got " + failFirstAttempts);
        }
        if (slowdown != 0 && !(slowdown >= 1)) {
            throw new IllegalArgumentException(
                    "mapreduce.test-faults.slowdown must be 1 or more (0 for none), got " + slowdown);
        }
        if (stallMs < 0) {
            throw new IllegalArgumentException("mapreduce.test-faults.stall-ms must be 0 or more, got " + stallMs);
        }
    }

    /** The faults in effect, e.g. {@code [fail-first-attempts=1, slowdown=5.0]}; empty unless enabled. */
    public List<String> active() {
        List<String> active = new ArrayList<>();
        if (!enabled) {
            return active;
        }
        if (failFirstAttempts > 0) {
            active.add("fail-first-attempts=" + failFirstAttempts);
        }
        if (failAlways) {
            active.add("fail-always=true");
        }
        if (slowdown > 1) {
            active.add("slowdown=" + slowdown);
        }
        if (crashAfterStart) {
            active.add("crash-after-start=true");
        }
        if (stallMs > 0) {
            active.add("stall-ms=" + stallMs);
        }
        if (!failTopics.isEmpty()) {
            active.add("fail-topics=" + failTopics);
        }
        return active;
    }

    /** Logs, as a warning nobody can miss, which faults this worker injects; nothing if disabled. */
    public void announce(String workerId) {
        if (enabled) {
            log.warn(
                    "TEST FAULT INJECTION IS ON in worker {}: {}. Its task attempts fail, stall or crash on purpose;"
                            + " never run it like this outside tests.",
                    workerId,
                    active().isEmpty() ? "enabled, but no fault set" : String.join(", ", active()));
        }
    }

    /**
     * Runs between STARTED and the attempt's work: crashes, stalls or fails as configured.
     *
     * @throws InjectedFaultException if the attempt is to fail
     * @throws TaskCancelledException if the attempt is cancelled while it stalls
     */
    public void beforeWork(TaskMessage task, Cancellation cancellation) {
        if (!enabled) {
            return;
        }
        if (crashAfterStart) {
            log.error("injected crash: halting the JVM during {}", task.attemptName());
            Runtime.getRuntime().halt(137);
        }
        if (stallMs > 0) {
            log.warn("injected stall: {} waits {} ms", task.attemptName(), stallMs);
            cancellation.sleep(Duration.ofMillis(stallMs));
        }
        if (failAlways || task.attempt() <= failFirstAttempts || readsFailingTopic(task)) {
            throw new InjectedFaultException("injected failure of attempt " + task.attemptName());
        }
    }

    private boolean readsFailingTopic(TaskMessage task) {
        return task.type() == dev.mapreduce.protocol.TaskType.MAP
                && !failTopics.isEmpty()
                && java.util.Arrays.stream(failTopics.split(","))
                        .map(String::strip)
                        .anyMatch(t -> t.equals(task.inputTopic()));
    }

    /**
     * Runs once the attempt's real work is done and before its output is committed: waits out
     * the slowdown.
     *
     * @throws TaskCancelledException if the attempt is cancelled while it waits
     */
    public void afterWork(Duration workTook, Cancellation cancellation) {
        if (enabled && slowdown > 1) {
            cancellation.sleep(Duration.ofNanos((long) (workTook.toNanos() * (slowdown - 1))));
        }
    }
}
