package dev.mapreduce.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares an internal topic as the broker has it with what the framework needs and the operator
 * asked for. Some differences make the framework fail (writes refused, messages unread): those are
 * fatal. Others only differ from the settings (a topic made earlier by hand or with other
 * settings): those are warnings, and the topic is used as it is.
 */
final class TopicCheck {

    record Finding(boolean fatal, String message) {}

    /** What the framework needs of one topic. */
    record Wanted(String topic, int partitions, boolean partitionsFixed) {}

    /** The topic as described by the broker; {@code replicationFactor} is its smallest partition's. */
    record Actual(int partitions, int replicationFactor, int minInsyncReplicas) {}

    private TopicCheck() {}

    static List<Finding> check(Wanted wanted, Actual actual, InternalTopics settings) {
        List<Finding> findings = new ArrayList<>();
        String topic = wanted.topic();
        if (actual.minInsyncReplicas() > actual.replicationFactor()) {
            findings.add(new Finding(
                    true,
                    "topic " + topic + " has replication factor " + actual.replicationFactor()
                            + " but min.insync.replicas=" + actual.minInsyncReplicas()
                            + " (topic or broker setting): the framework writes with acks=all, so every write"
                            + " to it would fail. Recreate it with a replication factor of at least "
                            + actual.minInsyncReplicas() + " (" + InternalTopics.REPLICATION_FACTOR_VARIABLE
                            + ") or set its min.insync.replicas to at most " + actual.replicationFactor()));
        }
        if (actual.partitions() != wanted.partitions()) {
            if (wanted.partitionsFixed()) {
                findings.add(new Finding(
                        true,
                        "topic " + topic + " has " + actual.partitions() + " partitions, but the framework reads"
                                + " only partition 0 of it: recreate it with 1 partition"));
            } else {
                findings.add(new Finding(
                        false,
                        "topic " + topic + " has " + actual.partitions() + " partitions, "
                                + InternalTopics.TASK_PARTITIONS_VARIABLE + " asks for " + wanted.partitions()
                                + ": using it as it is"));
            }
        }
        settings.replicationFactor().ifPresent(rf -> {
            if (rf != actual.replicationFactor()) {
                findings.add(new Finding(
                        false,
                        "topic " + topic + " has replication factor " + actual.replicationFactor() + ", "
                                + InternalTopics.REPLICATION_FACTOR_VARIABLE + " asks for " + rf
                                + ": using it as it is"));
            }
        });
        settings.minInsyncReplicas().ifPresent(min -> {
            if (min != actual.minInsyncReplicas()) {
                findings.add(new Finding(
                        false,
                        "topic " + topic + " has min.insync.replicas=" + actual.minInsyncReplicas() + ", "
                                + InternalTopics.MIN_INSYNC_REPLICAS_VARIABLE + " asks for " + min
                                + ": using it as it is"));
            }
        });
        return findings;
    }
}
