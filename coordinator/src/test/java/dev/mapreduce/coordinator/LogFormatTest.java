package dev.mapreduce.coordinator;

import dev.mapreduce.runtime.testing.TaskLogFormatContract;

/** The coordinator's logging settings: see {@link TaskLogFormatContract}. */
class LogFormatTest extends TaskLogFormatContract {

    @Override
    protected String serviceName() {
        return "coordinator";
    }
}
