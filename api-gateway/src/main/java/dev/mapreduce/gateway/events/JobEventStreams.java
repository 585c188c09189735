package dev.mapreduce.gateway.events;

import dev.mapreduce.gateway.coordinator.CoordinatorClient;
import dev.mapreduce.gateway.security.Caller;
import dev.mapreduce.gateway.security.TenantSlots;
import dev.mapreduce.protocol.JobStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The open event streams and what they are sent. A job's changes are coalesced: after one update of
 * a job the next waits at least {@link EventsProperties#minInterval()}, and then carries the state at
 * that moment, read once from the coordinator for every stream that follows the job. A stream that
 * has just opened is sent the job at once, on its own.
 *
 * <p>On shutdown every stream is ended before the web server's graceful shutdown: that waits for
 * open requests, and a stream is one that would never end on its own (its clients reconnect, to
 * another gateway or to this one once it is back). Streams asked for after that are refused.
 */
@Component
class JobEventStreams implements JobEvents.Listener, SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);

    /** The fields of a job view that make an entry of the jobs list. */
    private static final List<String> LIST_FIELDS = List.of(
            "jobId",
            "jobName",
            "status",
            "owner",
            "inputTopic",
            "inputPath",
            "mapFunction",
            "reduceFunction",
            "createdAt",
            "completedAt",
            "durationMs",
            "progress");

    /** One open stream: a job's ({@code jobId}) or the jobs list's ({@code jobId} null). */
    private static final class Subscriber {
        final SseEmitter emitter;
        final Caller caller;
        final UUID jobId;
        final TenantSlots.Slot slot;
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean primed;

        Subscriber(SseEmitter emitter, Caller caller, UUID jobId, TenantSlots.Slot slot) {
            this.emitter = emitter;
            this.caller = caller;
            this.jobId = jobId;
            this.slot = slot;
        }
    }

    /** The state of one job's updates. Changed only inside {@code feeds.compute} on its job id. */
    private static final class Feed {
        final Set<Subscriber> subscribers = new LinkedHashSet<>();
        boolean changed;
        boolean scheduled;
        boolean running;
        long lastRun = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

        boolean waitingToBePrimed() {
            return subscribers.stream().anyMatch(s -> !s.primed);
        }
    }

    private final CoordinatorClient coordinator;
    private final JsonMapper json;
    private final EventsProperties properties;
    private final ScheduledExecutorService executor;
    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();
    private final Set<Subscriber> listSubscribers = ConcurrentHashMap.newKeySet();
    private final Set<Subscriber> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final TenantSlots perTenant;
    private volatile boolean stopped;

    JobEventStreams(CoordinatorClient coordinator, JsonMapper json, EventsProperties properties, JobEvents events) {
        this.coordinator = coordinator;
        this.json = json;
        this.properties = properties;
        this.perTenant = new TenantSlots("event streams", properties.maxSubscribersPerTenant());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "job-event-streams-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long keepAlive = properties.keepAlive().toMillis();
        executor.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        events.addListener(this);
    }

    /**
     * A stream of one job's changes. Throws the coordinator's 404 for an unknown job, and the same
     * for a job the caller may not see.
     */
    SseEmitter followJob(UUID jobId, Caller caller) {
        JsonNode job = readJob(jobId);
        if (!caller.maySee(text(job, "owner"))) {
            throw JobEventsController.noSuchJob(jobId.toString());
        }
        Subscriber subscriber = open(caller, jobId);
        try {
            feeds.compute(jobId, (id, feed) -> {
                Feed f = feed == null ? new Feed() : feed;
                f.subscribers.add(subscriber);
                schedule(id, f, false);
                return f;
            });
        } catch (RuntimeException e) {
            close(subscriber);
            throw e;
        }
        return subscriber.emitter;
    }

    /** A stream of changes of every job the caller may see. */
    SseEmitter followList(Caller caller) {
        Subscriber subscriber = open(caller, null);
        listSubscribers.add(subscriber);
        // the client learns at once that the stream is open, before any job changes
        send(subscriber, SseEmitter.event().comment(" connected"));
        return subscriber.emitter;
    }

    private Subscriber open(Caller caller, UUID jobId) {
        if (stopped) {
            throw unavailable("Shutting down", "the gateway is shutting down: its event streams have ended");
        }
        TenantSlots.Slot slot = perTenant.acquire(caller);
        if (open.incrementAndGet() > properties.maxSubscribers()) {
            slot.close();
            open.decrementAndGet();
            throw unavailable(
                    "Too many event streams",
                    "the gateway serves at most " + properties.maxSubscribers() + " event streams at once");
        }
        Subscriber s;
        try {
            s = new Subscriber(newEmitter(properties.streamTimeout().toMillis()), caller, jobId, slot);
        } catch (RuntimeException | Error e) {
            slot.close();
            open.decrementAndGet();
            throw e;
        }
        all.add(s);
        s.emitter.onCompletion(() -> close(s));
        s.emitter.onError(e -> close(s));
        s.emitter.onTimeout(() -> end(s));
        if (stopped) {
            // stop() ended the streams while this one was opening
            end(s);
        }
        return s;
    }

    private static ErrorResponseException unavailable(String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle(title);
        ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        busy.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return busy;
    }

    /** A new stream's emitter; tests make ones that fail as a gone client's do. */
    SseEmitter newEmitter(long timeoutMillis) {
        return new SseEmitter(timeoutMillis);
    }

    /**
     * Ends the stream: the client has had all there is. The stream is forgotten (and its slot given
     * back) first: completing an emitter whose client is gone can throw, and then it must not stay.
     */
    private void end(Subscriber s) {
        close(s);
        try {
            s.emitter.complete();
        } catch (RuntimeException e) {
            log.debug("Event stream already gone: {}", e.getMessage());
        }
    }

    private void close(Subscriber s) {
        if (!s.closed.compareAndSet(false, true)) {
            return;
        }
        open.decrementAndGet();
        s.slot.close();
        all.remove(s);
        if (s.jobId == null) {
            listSubscribers.remove(s);
            return;
        }
        feeds.computeIfPresent(s.jobId, (id, f) -> {
            f.subscribers.remove(s);
            return idle(f) ? null : f;
        });
    }

    private static boolean idle(Feed f) {
        return f.subscribers.isEmpty() && !f.scheduled && !f.running;
    }

    /** How many streams are open now. */
    int openStreams() {
        return open.get();
    }

    @Override
    public void jobChanged(UUID jobId) {
        if (listSubscribers.isEmpty() && !feeds.containsKey(jobId)) {
            return;
        }
        feeds.compute(jobId, (id, feed) -> {
            Feed f = feed == null ? new Feed() : feed;
            f.changed = true;
            schedule(id, f, true);
            return f;
        });
    }

    /**
     * Changes were lost: every followed job is read again, and the list streams end, so that their
     * clients reconnect and read the list again (which jobs changed is unknown).
     */
    @Override
    public void changesMissed() {
        feeds.keySet().forEach(this::jobChanged);
        listSubscribers.forEach(this::end);
    }

    /** Plans the feed's next update, at most one at a time, {@code minInterval} after the last. Inside compute. */
    private void schedule(UUID jobId, Feed f, boolean coalesce) {
        if (f.scheduled || f.running) {
            return;
        }
        long wait = coalesce ? Math.max(0, f.lastRun + properties.minInterval().toNanos() - System.nanoTime()) : 0;
        f.scheduled = true;
        executor.schedule(() -> update(jobId), wait, TimeUnit.NANOSECONDS);
    }

    private void update(UUID jobId) {
        boolean[] changed = {false};
        List<Subscriber> subscribers = new ArrayList<>();
        Feed started = feeds.computeIfPresent(jobId, (id, f) -> {
            f.scheduled = false;
            f.running = true;
            f.lastRun = System.nanoTime();
            changed[0] = f.changed;
            f.changed = false;
            subscribers.addAll(f.subscribers);
            return f;
        });
        if (started == null) {
            return;
        }
        boolean retry = false;
        try {
            retry = !send(jobId, subscribers, changed[0]);
        } catch (RuntimeException e) {
            log.error("Could not update the event streams of job {}", jobId, e);
        } finally {
            boolean again = retry;
            feeds.computeIfPresent(jobId, (id, f) -> {
                f.running = false;
                f.changed |= again;
                if (f.changed || f.waitingToBePrimed()) {
                    schedule(id, f, true);
                }
                return idle(f) && !f.changed ? null : f;
            });
        }
    }

    /** Sends the job's state to whoever needs it; false when the coordinator could not tell it now. */
    private boolean send(UUID jobId, List<Subscriber> subscribers, boolean changed) {
        List<Subscriber> jobTargets = subscribers.stream()
                .filter(s -> changed || !s.primed)
                .filter(s -> !s.closed.get())
                .toList();
        List<Subscriber> listTargets = changed ? List.copyOf(listSubscribers) : List.of();
        if (jobTargets.isEmpty() && listTargets.isEmpty()) {
            return true;
        }
        JsonNode job;
        String tasks = null;
        try {
            job = readJob(jobId);
            if (!jobTargets.isEmpty()) {
                tasks = json.writeValueAsString(json.readTree(coordinator.tasks(jobId)));
            }
        } catch (ErrorResponseException e) {
            if (e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                // deleted: nothing more will come
                subscribers.forEach(this::end);
                return true;
            }
            log.debug("Job {} changed, but the coordinator cannot tell now: {}", jobId, e.getMessage());
            return false;
        }
        String owner = text(job, "owner");
        String status = text(job, "status");
        boolean ended = status != null && isFinal(status);
        String jobText = json.writeValueAsString(job);
        for (Subscriber s : jobTargets) {
            if (s.caller.maySee(owner)
                    && send(s, SseEmitter.event().name("job").data(jobText))
                    && send(s, SseEmitter.event().name("tasks").data(tasks))) {
                s.primed = true;
            }
            if (ended || !s.caller.maySee(owner)) {
                end(s);
            }
        }
        if (!listTargets.isEmpty()) {
            String entry = json.writeValueAsString(listEntry(job));
            for (Subscriber s : listTargets) {
                if (s.caller.maySee(owner)) {
                    send(s, SseEmitter.event().name("job").data(entry));
                }
            }
        }
        return true;
    }

    private JsonNode readJob(UUID jobId) {
        return json.readTree(coordinator.job(jobId));
    }

    private ObjectNode listEntry(JsonNode job) {
        ObjectNode entry = json.createObjectNode();
        for (String field : LIST_FIELDS) {
            if (job.has(field)) {
                entry.set(field, job.get(field));
            }
        }
        return entry;
    }

    /** Sends one event; a stream that cannot take it is closed. */
    private boolean send(Subscriber s, SseEmitter.SseEventBuilder event) {
        if (s.closed.get()) {
            return false;
        }
        try {
            s.emitter.send(event);
            return true;
        } catch (IOException | RuntimeException e) {
            // the client went away (or the stream already ended). Forget the stream first: after a
            // failed write, completing the emitter races the container's own error handling, and
            // Spring or Tomcat may throw (an async dispatch that is no longer valid)
            log.debug("Event stream closed: {}", e.getMessage());
            close(s);
            try {
                s.emitter.completeWithError(e);
            } catch (RuntimeException again) {
                log.debug("Event stream already gone: {}", again.getMessage());
            }
            return false;
        }
    }

    /**
     * Sends every stream a comment, which is how a client that went away without a word is found.
     * It never throws: a periodic task that throws is never run again, and every later stream whose
     * client goes would then stay open, with its tenant's slot, for good.
     */
    void keepAlive() {
        for (Subscriber s : all) {
            try {
                send(s, SseEmitter.event().comment(" keep-alive"));
            } catch (RuntimeException e) {
                log.warn("Keep-alive of an event stream failed; the stream is closed", e);
                close(s);
            }
        }
    }

    private static boolean isFinal(String status) {
        try {
            return JobStatus.valueOf(status).isFinal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    @Override
    public void start() {
        stopped = false;
    }

    /** Ends every stream, so that the web server's graceful shutdown has none to wait for. */
    @Override
    public void stop() {
        stopped = true;
        all.forEach(this::end);
    }

    @Override
    public boolean isRunning() {
        return !stopped;
    }

    /** Before the web server's graceful shutdown, which waits for open requests. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        all.forEach(this::end);
    }
}
