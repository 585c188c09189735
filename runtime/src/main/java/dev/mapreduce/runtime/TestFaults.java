package dev.mapreduce.runtime;

import dev.mapreduce.protocol.TaskMessage;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * @param holdDir a folder of hold markers ({@code MAPREDUCE_TESTFAULTS_HOLDDIR}); empty for none.
 *     After STARTED, before its work, an attempt waits while a marker naming it exists there:
 *     {@code MAP} or {@code REDUCE} (every attempt of that type), {@code MAP-3} (every attempt of
 *     map task 3), or either after a job id and a dot ({@code <jobId>.REDUCE}, that job only). A
 *     fault test creates the marker, waits until the job is where the fault belongs (it cannot
 *     move on while held), injects the fault, then deletes the marker: nothing races the job.
 */
public record TestFaults(
        boolean enabled,
        int failFirstAttempts,
        boolean failAlways,
        double slowdown,
        boolean crashAfterStart,
        long stallMs,
        String failTopics,
        String holdDir) {

    private static final Logger log = LoggerFactory.getLogger(TestFaults.class);

    public static final TestFaults NONE = new TestFaults(false, 0, false, 0, false, 0, null, null);

    /** How often a held attempt looks for its marker again. */
    private static final Duration HOLD_POLL = Duration.ofMillis(20);

    public TestFaults {
        failTopics = failTopics == null ? "" : failTopics.strip();
        holdDir = holdDir == null ? "" : holdDir.strip();
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
        if (!holdDir.isEmpty()) {
            active.add("hold-dir=" + holdDir);
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
        hold(task, cancellation);
        if (failAlways || task.attempt() <= failFirstAttempts || readsFailingTopic(task)) {
            throw new InjectedFaultException("injected failure of attempt " + task.attemptName());
        }
    }

    /** Waits while a hold marker names {@code task} (see {@code holdDir}). */
    private void hold(TaskMessage task, Cancellation cancellation) {
        if (holdDir.isEmpty()) {
            return;
        }
        List<Path> markers = holdMarkers(task);
        if (markers.stream().noneMatch(Files::exists)) {
            return;
        }
        log.warn("injected hold: {} waits while one of {} exists", task.attemptName(), markers);
        long start = System.nanoTime();
        while (markers.stream().anyMatch(Files::exists)) {
            cancellation.sleep(HOLD_POLL);
        }
        log.warn(
                "injected hold: {} released after {} ms",
                task.attemptName(),
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** The markers that hold {@code task}: by type, by task, each for every job or for its job. */
    List<Path> holdMarkers(TaskMessage task) {
        Path dir = Path.of(holdDir);
        String type = task.type().name();
        String byTask = type + "-" + task.taskIndex();
        String job = task.jobId() + ".";
        return List.of(dir.resolve(type), dir.resolve(byTask), dir.resolve(job + type), dir.resolve(job + byTask));
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
