package dev.mapreduce.mapworker;

import dev.mapreduce.runtime.testing.TaskLogFormatContract;

/** The map-worker's logging settings: see {@link TaskLogFormatContract}. */
class LogFormatTest extends TaskLogFormatContract {

    @Override
    protected String serviceName() {
        return "map-worker";
    }
}
