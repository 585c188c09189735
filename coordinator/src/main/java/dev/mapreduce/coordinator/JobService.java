package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.KafkaMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Accepts jobs: fixes their input, plans the map tasks, records them and dispatches them. */
@Service
class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    /** What {@code POST /api/jobs} answers. */
    record Submitted(UUID jobId, String status, String message) {}

    private final TopicInput topics;
    private final FileInput files;
    private final JobStore store;
    private final KafkaMessages kafka;
    private final TransactionTemplate tx;
    private final CoordinatorMetrics metrics;

    JobService(
            TopicInput topics,
            FileInput files,
            JobStore store,
            KafkaMessages kafka,
            TransactionTemplate tx,
            CoordinatorMetrics metrics) {
        this.topics = topics;
        this.files = files;
        this.store = store;
        this.kafka = kafka;
        this.tx = tx;
        this.metrics = metrics;
    }

    /** Submits a job for {@code owner} (the tenant that submitted it; null when there are no tenants). */
    Submitted submit(JobRequest submitted, String owner) {
        JobRequest request = submitted.withDefaults();
        List<JobRequest.FieldError> errors = request.validate();
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        List<MapInput> splits;
        String input;
        if (request.inputPath() != null) {
            FileInput.Plan plan = files.plan(request.inputPath(), request.numMappers());
            splits = plan.tasks();
            input = plan.bytes() + " bytes of files " + request.inputPath();
        } else {
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
        tx.executeWithoutResult(s -> {
            store.insertJob(jobId, request, records, owner);
            store.insertMapTasks(jobId, splits);
            store.notifyChanged(jobId);
        });
        JobRow job = new JobRow(
                jobId,
                JobStatus.PENDING,
                request.inputTopic(),
                request.numReducers(),
                request.mapFunction(),
                request.reduceFunction(),
                request.parameters(),
                request.combiner());
        List<TaskMessage> tasks = new ArrayList<>(splits.size());
        for (int i = 0; i < splits.size(); i++) {
            tasks.add(job.mapTask(i, 1, splits.get(i)));
        }
        try {
            kafka.sendAll(tasks);
            tx.executeWithoutResult(
                    s -> store.markDispatched(tasks.stream().map(AttemptRef::of).toList()));
        } catch (RuntimeException e) {
            tx.executeWithoutResult(s -> {
                store.failJob(jobId, "could not dispatch the map tasks: " + e.getMessage());
                store.notifyChanged(jobId);
            });
            throw new ServiceUnavailableException("could not dispatch the job's tasks to Kafka: " + e.getMessage(), e);
        }
        tx.executeWithoutResult(s -> {
            store.moveJob(jobId, JobStatus.RUNNING, JobStatus.PENDING);
            store.notifyChanged(jobId);
        });
        metrics.jobSubmitted();
        log.info(
                "job {} '{}' submitted: {} {} over {} ({} records) in {} map tasks, {} reducers",
                jobId,
                request.jobName(),
                request.mapFunction(),
                request.reduceFunction(),
                input,
                records,
                splits.size(),
                request.numReducers());
        if (log.isDebugEnabled()) {
            for (int i = 0; i < splits.size(); i++) {
                log.debug("job {} map task {} reads {}", jobId, i, splits.get(i).describe(request.inputTopic()));
            }
        }
        return new Submitted(jobId, JobStatus.RUNNING.name(), "Job submitted successfully");
    }
}
