package dev.mapreduce.coordinator.dispatch;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.TaskMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where committed changes send their messages: task messages to the workers' task queues,
 * control messages to every worker. Sending does not wait: the caller decides whether to.
 */
public interface Outbox {

    /** Sends the task messages; completes when every one is acknowledged, exceptionally if one is not. */
    CompletableFuture<Void> send(List<TaskMessage> tasks);

    /**
     * Sends control messages. A lost one is logged and not retried: it only stops an attempt
     * sooner, as the attempt's own report is ignored anyway.
     */
    void sendControls(List<ControlMessage> controls);
}
