package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A reduce that cannot read a map run: the leader asks Redis (before the transaction that applies
 * the fetch failure) which committed runs of the partition are gone, and runs all of those map
 * tasks again, not only the one the reduce named.
 */
class LineageRecoveryIT extends ScriptedWorkersTestBase {

    @Test
    void everyCommittedMapWhoseRunIsGoneRunsAgainNotOnlyTheOneNamed() throws Exception {
        String topic = JobLifecycleIT.topicWith(2, 2, 2);
        UUID jobId =
                submit("{\"jobName\":\"lineage\",\"inputTopic\":\"" + topic + "\",\"numMappers\":2,\"numReducers\":1}");
        // the scripted map workers report success without writing runs: Redis has none of them
        for (int m = 0; m < 2; m++) {
            TaskMessage map = awaitAttempt(jobId, TaskType.MAP, m, 1);
            events.send(TaskEvent.started(map, "scripted-map"));
            events.send(TaskEvent.succeeded(map, "scripted-map", JobLifecycleIT.mapCounters(2)));
        }
        TaskMessage reduce = awaitAttempt(jobId, TaskType.REDUCE, 0, 1);
        events.send(TaskEvent.started(reduce, "scripted-reduce"));
        events.send(TaskEvent.fetchFailed(reduce, "scripted-reduce", 0, "the run of map 0 is missing"));

        awaitAttempt(jobId, TaskType.MAP, 0, 2);
        awaitAttempt(jobId, TaskType.MAP, 1, 2);
        assertThat(jdbc.queryForObject("SELECT lineage_recoveries FROM jobs WHERE job_id = ?", Integer.class, jobId))
                .isEqualTo(2);
    }
}
