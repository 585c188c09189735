package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.CoordinatorMetrics;
import dev.mapreduce.coordinator.CoordinatorProperties;
import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.coordinator.ServiceUnavailableException;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.InputGrants;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.TaskMessage;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Accepts jobs: fixes their input, plans the map tasks, records them and dispatches what the
 * dispatch limits allow at once (the rest wait for slots in PostgreSQL). The submit waits for
 * Kafka to take the messages, so an outage is a 503, not a job that never starts.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    /**
     * What {@code POST /api/jobs} answers; {@code repeated} when the request's requestId had already
     * made the job.
     */
    record Submitted(UUID jobId, String status, String message, boolean repeated) {

        static Submitted repeatOf(UUID jobId) {
            return new Submitted(jobId, null, "Job already submitted with this requestId", true);
        }
    }

    private final TopicInput topics;
    private final FileInput files;
    private final Scheduler scheduler;
    private final Dispatcher dispatcher;
    private final CoordinatorMetrics metrics;
    private final CoordinatorProperties props;
    private final JobStore store;
    private final TenantLimits limits;

    JobService(
            TopicInput topics,
            FileInput files,
            Scheduler scheduler,
            Dispatcher dispatcher,
            CoordinatorMetrics metrics,
            CoordinatorProperties props,
            JobStore store,
            TenantLimits limits) {
        this.topics = topics;
        this.files = files;
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.props = props;
        this.store = store;
        this.limits = limits;
    }

    /** Submits a job for {@code owner} (the tenant that submitted it; null when there are no tenants). */
    Submitted submit(JobRequest submitted, String owner) {
        return submit(submitted, owner, InputGrants.ALL);
    }

    /**
     * Submits a job for {@code owner}, which may read the inputs {@code grants} name: an input outside
     * them is refused exactly as a missing one (the same exception from the same place), so the
     * answer tells a tenant nothing about other tenants' inputs.
     */
    Submitted submit(JobRequest submitted, String owner, InputGrants grants) {
        JobRequest request = submitted.withDefaults();
        List<JobRequest.FieldError> errors = request.validate();
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        if (request.requestId() != null) {
            Optional<UUID> earlier = store.jobByRequestId(owner, request.requestId());
            if (earlier.isPresent()) {
                return Submitted.repeatOf(earlier.get());
            }
        }
        List<MapInput> splits;
        String input;
        if (request.inputPath() != null) {
            FileInput.Plan plan = files.plan(request.inputPath(), request.numMappers(), grants);
            splits = plan.tasks();
            input = plan.bytes() + " bytes of files " + request.inputPath();
        } else {
            if (!grants.mayReadTopic(request.inputTopic())) {
                throw new UnknownTopicException(request.inputTopic());
            }
            splits =
                    InputPlanner.split(
                                    topics.snapshot(request.inputTopic(), request.from(), request.to()),
                                    request.numMappers())
                            .stream()
                            .map(MapInput::ofRanges)
                            .toList();
            input = "topic " + request.inputTopic();
        }
        long records = splits.stream().mapToLong(MapInput::records).sum();
        UUID jobId = UUID.randomUUID();
        List<TaskMessage> dispatched;
        try {
            dispatched = scheduler.startJob(jobId, request, splits, records, owner, limits.maxActiveJobs());
        } catch (RepeatedRequestException e) {
            // a concurrent submit with the same requestId won; it is committed, since the insert waited for it
            return Submitted.repeatOf(store.jobByRequestId(owner, request.requestId())
                    .orElseThrow(() ->
                            new IllegalStateException("the job of requestId " + request.requestId() + " vanished")));
        }
        try {
            dispatcher.sendNow(dispatched).get(props.kafka().timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            scheduler.markDispatched(dispatched.stream().map(AttemptRef::of).toList());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            String why = e instanceof ExecutionException ? e.getCause().getMessage() : e.toString();
            scheduler.failUnsent(jobId, "could not dispatch the map tasks: " + why);
            throw new ServiceUnavailableException("could not dispatch the job's tasks to Kafka: " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.failUnsent(jobId, "interrupted while dispatching the map tasks");
            throw new ServiceUnavailableException("interrupted while dispatching the job's tasks", e);
        }
        boolean started = dispatched.stream().anyMatch(t -> t.jobId().equals(jobId));
        metrics.jobSubmitted();
        log.info(
                "job {} '{}' submitted: {} {} over {} ({} records) in {} map tasks, {} reducers{}",
                jobId,
                request.jobName(),
                request.hasQuery() ? "query" : request.mapFunction(),
                request.hasQuery() ? request.query() : request.reduceFunction(),
                input,
                records,
                splits.size(),
                request.numReducers(),
                started ? "" : "; waiting for dispatch slots");
        if (log.isDebugEnabled()) {
            for (int i = 0; i < splits.size(); i++) {
                log.debug("job {} map task {} reads {}", jobId, i, splits.get(i).describe(request.inputTopic()));
            }
        }
        JobStatus status = started ? JobStatus.RUNNING : JobStatus.PENDING;
        return new Submitted(jobId, status.name(), "Job submitted successfully", false);
    }
}
