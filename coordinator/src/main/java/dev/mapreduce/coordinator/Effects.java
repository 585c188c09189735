package dev.mapreduce.coordinator;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What a state change needs done once its transaction committed: messages to send, keys to delete. */
final class Effects {

    final List<TaskMessage> dispatch = new ArrayList<>();
    final List<ControlMessage> controls = new ArrayList<>();
    final Set<UUID> cleanUp = new LinkedHashSet<>();
    final Set<UUID> mapPhaseDone = new LinkedHashSet<>();
    final List<Duration> completedJobs = new ArrayList<>();
    int failedJobs;
}
