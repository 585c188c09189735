package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobStatus;
import dev.mapreduce.protocol.OffsetRange;
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
    private final JobStore store;
    private final KafkaMessages kafka;
    private final TransactionTemplate tx;
    private final CoordinatorMetrics metrics;

    JobService(
            TopicInput topics,
            JobStore store,
            KafkaMessages kafka,
            TransactionTemplate tx,
            CoordinatorMetrics metrics) {
        this.topics = topics;
        this.store = store;
        this.kafka = kafka;
        this.tx = tx;
        this.metrics = metrics;
    }

    Submitted submit(JobRequest submitted) {
        JobRequest request = submitted.withDefaults();
        List<JobRequest.FieldError> errors = request.validate();
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        List<OffsetRange> input = topics.snapshot(request.inputTopic());
        List<List<OffsetRange>> splits = InputPlanner.split(input, request.numMappers());
        long records = input.stream().mapToLong(OffsetRange::count).sum();
        UUID jobId = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            store.insertJob(jobId, request, records);
            store.insertMapTasks(jobId, splits);
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
            tx.executeWithoutResult(s -> store.failJob(jobId, "could not dispatch the map tasks: " + e.getMessage()));
            throw new ServiceUnavailableException("could not dispatch the job's tasks to Kafka: " + e.getMessage(), e);
        }
        tx.executeWithoutResult(s -> store.moveJob(jobId, JobStatus.RUNNING, JobStatus.PENDING));
        metrics.jobSubmitted();
        log.info(
                "job {} '{}' submitted: {} {} over {} records of topic {} in {} map tasks, {} reducers",
                jobId,
                request.jobName(),
                request.mapFunction(),
                request.reduceFunction(),
                records,
                request.inputTopic(),
                splits.size(),
                request.numReducers());
        return new Submitted(jobId, JobStatus.RUNNING.name(), "Job submitted successfully");
    }
}
