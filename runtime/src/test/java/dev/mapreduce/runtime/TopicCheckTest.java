package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.runtime.TopicCheck.Actual;
import dev.mapreduce.runtime.TopicCheck.Finding;
import dev.mapreduce.runtime.TopicCheck.Wanted;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TopicCheckTest {

    private static final Wanted TASKS = new Wanted("mapreduce.tasks.map", 1, false);
    private static final Wanted EVENTS = new Wanted("mapreduce.task-events", 1, true);

    @Test
    void aTopicAsAskedForHasNoFindings() {
        var settings = new InternalTopics(1, OptionalInt.of(3), OptionalInt.of(2));

        assertThat(TopicCheck.check(TASKS, new Actual(1, 3, 2), settings)).isEmpty();
    }

    @Test
    void fewerReplicasThanMinInsyncIsFatalBecauseEveryAcksAllWriteFails() {
        List<Finding> findings = TopicCheck.check(TASKS, new Actual(1, 1, 2), InternalTopics.DEFAULT);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.fatal()).isTrue();
            assertThat(f.message())
                    .contains("mapreduce.tasks.map", "replication factor 1", "min.insync.replicas=2", "acks=all");
        });
    }

    @Test
    void aSecondPartitionOfATopicReadOnlyAtPartitionZeroIsFatal() {
        assertThat(TopicCheck.check(EVENTS, new Actual(3, 1, 1), InternalTopics.DEFAULT))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.fatal()).isTrue();
                    assertThat(f.message()).contains("mapreduce.task-events", "3 partitions");
                });
    }

    @Test
    void otherDifferencesFromTheSettingsAreWarnings() {
        var settings = new InternalTopics(4, OptionalInt.of(3), OptionalInt.of(2));

        List<Finding> findings = TopicCheck.check(new Wanted("t", 4, false), new Actual(2, 5, 3), settings);

        assertThat(findings).extracting(Finding::fatal).containsExactly(false, false, false);
        assertThat(findings)
                .extracting(Finding::message)
                .containsExactly(
                        "topic t has 2 partitions, KAFKA_TASK_TOPIC_PARTITIONS asks for 4: using it as it is",
                        "topic t has replication factor 5, KAFKA_TOPIC_REPLICATION_FACTOR asks for 3: using it as it is",
                        "topic t has min.insync.replicas=3, KAFKA_TOPIC_MIN_INSYNC_REPLICAS asks for 2: using it as it is");
    }
}
