package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A job that outlives its shuffle runs' TTL (the test coordinator's {@code SHUFFLE_TTL} is
 * {@link CoordinatorTestBase#SHUFFLE_TTL}): the leader renews the runs while the job runs, so its
 * reduce, held back for more than twice the TTL, still reads every run exactly, and they are
 * deleted when the job ends.
 */
class ShuffleKeptAliveIT extends ScriptedWorkersTestBase {

    /** What a map attempt writes them with, shorter than the coordinator's TTL, so that only renewals keep them. */
    private static final Duration WRITTEN_TTL = Duration.ofSeconds(3);

    @Autowired
    ShuffleStore shuffle;

    @Test
    void aJobOutlivingItsRunsTtlReadsThemExactlyAndTheyGoWhenItEnds() throws Exception {
        String topic = JobLifecycleIT.topicWith(1, 4);
        UUID jobId = submit(
                "{\"jobName\":\"long-shuffle\",\"inputTopic\":\"" + topic + "\",\"numMappers\":1,\"numReducers\":2}");
        TaskMessage map = awaitAttempt(jobId, TaskType.MAP, 0, 1);
        byte[][] runs = {run("alpha", "beta"), run("gamma")};
        shuffle.writeRuns(jobId, 0, map.attempt(), runs, WRITTEN_TTL);
        events.send(TaskEvent.started(map, "scripted-map"));
        events.send(TaskEvent.succeeded(map, "scripted-map", JobLifecycleIT.mapCounters(4)));
        TaskMessage reduce0 = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        TaskMessage reduce1 = awaitAttempt(jobId, TaskType.REDUCE, 1, 1);
        List<MapRunRef> refs = reduce0.mapRuns();
        assertThat(refs).containsExactly(new MapRunRef(0, map.attempt()));

        // the reduces wait (for slots, say) more than twice the coordinator's TTL, four times the written one
        Duration held = SHUFFLE_TTL.multipliedBy(2).plusSeconds(1);
        await().during(held)
                .atMost(held.plusSeconds(5))
                .until(() -> shuffle.missingRuns(jobId, 0, refs).isEmpty()
                        && shuffle.missingRuns(jobId, 1, refs).isEmpty());

        assertThat(shuffle.fetchRuns(jobId, 0, refs)).containsExactly(runs[0]);
        assertThat(shuffle.fetchRuns(jobId, 1, refs)).containsExactly(runs[1]);
        for (TaskMessage reduce : List.of(reduce0, reduce1)) {
            jdbc.update(
                    "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows)"
                            + " VALUES (?, ?, ?, ?, ?)",
                    jobId,
                    reduce.taskIndex(),
                    reduce.attempt(),
                    "scripted-reduce",
                    1);
            events.send(TaskEvent.started(reduce, "scripted-reduce"));
            events.send(TaskEvent.succeeded(reduce, "scripted-reduce", AttemptCounters.NONE));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).equals("COMPLETED"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> shuffle.missingRuns(jobId, 0, refs).size() == 1
                        && shuffle.missingRuns(jobId, 1, refs).size() == 1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM task_attempts WHERE job_id = ? AND task_type = 'MAP'",
                        Integer.class,
                        jobId))
                .as("map attempts: none re-run for lost runs")
                .isEqualTo(1);
    }

    private static byte[] run(String... keys) {
        RunWriter writer = new RunWriter(true);
        for (String key : keys) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            writer.add(bytes, 0, bytes.length, key.length(), 1);
        }
        return writer.finish();
    }
}
