package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a state change needs done once its transaction committed (messages to send, keys to delete,
 * metrics to count), and whether it may have freed a dispatch slot or made a task wait for one.
 * Nothing here happens if the transaction rolls back.
 */
public final class Effects {

    public final List<TaskMessage> dispatch = new ArrayList<>();
    public final List<ControlMessage> controls = new ArrayList<>();
    public final Set<UUID> cleanUp = new LinkedHashSet<>();
    public final List<Duration> completedJobs = new ArrayList<>();
    final Map<TaskType, Integer> committed = new EnumMap<>(TaskType.class);
    public int failedJobs;

    /** The task types whose waiting tasks may get slots now: the change ends with a dispatch pass for them. */
    public final Set<TaskType> wake = EnumSet.noneOf(TaskType.class);

    /** A slot of this type may be free, or a task of this type waits for one. */
    public void wake(TaskType type) {
        wake.add(type);
    }

    public void wakeAll() {
        wake.addAll(EnumSet.allOf(TaskType.class));
    }

    public void committed(TaskType type) {
        committed.merge(type, 1, Integer::sum);
    }
}
