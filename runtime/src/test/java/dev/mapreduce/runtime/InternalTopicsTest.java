package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class InternalTopicsTest {

    @Test
    void unsetVariablesLeaveOnePartitionAndTheBrokersReplicationDefaults() {
        assertThat(InternalTopics.fromEnvironment(Map.of("KAFKA_TOPIC_REPLICATION_FACTOR", "")))
                .isEqualTo(InternalTopics.DEFAULT);
    }

    @Test
    void variablesSetPartitionsReplicationAndMinInsyncReplicas() {
        assertThat(InternalTopics.fromEnvironment(Map.of(
                        "KAFKA_TASK_TOPIC_PARTITIONS", "4",
                        "KAFKA_TOPIC_REPLICATION_FACTOR", "3",
                        "KAFKA_TOPIC_MIN_INSYNC_REPLICAS", " 2 ")))
                .isEqualTo(new InternalTopics(4, OptionalInt.of(3), OptionalInt.of(2)));
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> InternalTopics.fromEnvironment(Map.of("KAFKA_TASK_TOPIC_PARTITIONS", "many")))
                .hasMessageContaining("KAFKA_TASK_TOPIC_PARTITIONS");
        assertThatThrownBy(() -> InternalTopics.fromEnvironment(Map.of("KAFKA_TASK_TOPIC_PARTITIONS", "0")))
                .hasMessageContaining("KAFKA_TASK_TOPIC_PARTITIONS");
        assertThatThrownBy(() -> InternalTopics.fromEnvironment(Map.of("KAFKA_TOPIC_REPLICATION_FACTOR", "0")))
                .hasMessageContaining("KAFKA_TOPIC_REPLICATION_FACTOR");
    }

    @Test
    void moreInsyncReplicasThanReplicasIsRefusedBecauseNoWriteWouldSucceed() {
        assertThatThrownBy(() -> InternalTopics.fromEnvironment(
                        Map.of("KAFKA_TOPIC_REPLICATION_FACTOR", "1", "KAFKA_TOPIC_MIN_INSYNC_REPLICAS", "2")))
                .hasMessageContaining("acks=all");
    }
}
