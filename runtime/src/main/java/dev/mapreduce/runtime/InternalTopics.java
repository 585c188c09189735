package dev.mapreduce.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the framework's own topics are created: the task topics' partitions, and the replication
 * factor and {@code min.insync.replicas} of all of them. Unset, the replication settings are the
 * broker's defaults ({@code default.replication.factor}, {@code min.insync.replicas}).
 *
 * <p>The task event and control topics always have one partition: the coordinator applies task
 * events in one order, and every worker reads all control messages from partition 0.
 *
 * @param taskPartitions partitions of each task topic (share groups spread them over the workers)
 * @param replicationFactor of every internal topic; empty: the broker's default
 * @param minInsyncReplicas topic setting of every internal topic; empty: the broker's default
 */
public record InternalTopics(int taskPartitions, OptionalInt replicationFactor, OptionalInt minInsyncReplicas) {

    public static final String TASK_PARTITIONS_VARIABLE = "KAFKA_TASK_TOPIC_PARTITIONS";
    public static final String REPLICATION_FACTOR_VARIABLE = "KAFKA_TOPIC_REPLICATION_FACTOR";
    public static final String MIN_INSYNC_REPLICAS_VARIABLE = "KAFKA_TOPIC_MIN_INSYNC_REPLICAS";

    /** One partition per task topic, replication as the broker's defaults say. */
    public static final InternalTopics DEFAULT = new InternalTopics(1, OptionalInt.empty(), OptionalInt.empty());

    public InternalTopics {
        if (taskPartitions < 1) {
            throw new IllegalArgumentException(TASK_PARTITIONS_VARIABLE + " must be at least 1, got " + taskPartitions);
        }
        replicationFactor.ifPresent(rf -> {
            if (rf < 1 || rf > Short.MAX_VALUE) {
                throw new IllegalArgumentException(REPLICATION_FACTOR_VARIABLE + " must be at least 1, got " + rf);
            }
        });
        minInsyncReplicas.ifPresent(min -> {
            if (min < 1) {
                throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_VARIABLE + " must be at least 1, got " + min);
            }
            if (replicationFactor.isPresent() && min > replicationFactor.getAsInt()) {
                throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_VARIABLE + "=" + min + " is more than "
                        + REPLICATION_FACTOR_VARIABLE + "=" + replicationFactor.getAsInt()
                        + ": every write with acks=all would fail");
            }
        });
    }

    /** From the process's environment variables. */
    public static InternalTopics fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * From {@value #TASK_PARTITIONS_VARIABLE}, {@value #REPLICATION_FACTOR_VARIABLE} and {@value
     * #MIN_INSYNC_REPLICAS_VARIABLE}; unset or empty ones take the defaults.
     *
     * @throws IllegalArgumentException naming the variable that is not a valid number
     */
    public static InternalTopics fromEnvironment(Map<String, String> environment) {
        return new InternalTopics(
                number(environment, TASK_PARTITIONS_VARIABLE).orElse(1),
                toOptionalInt(number(environment, REPLICATION_FACTOR_VARIABLE)),
                toOptionalInt(number(environment, MIN_INSYNC_REPLICAS_VARIABLE)));
    }

    private static Optional<Integer> number(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static OptionalInt toOptionalInt(Optional<Integer> value) {
        return value.map(OptionalInt::of).orElse(OptionalInt.empty());
    }
}
