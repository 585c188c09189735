package dev.mapreduce.reduceworker;

import dev.mapreduce.runtime.testing.TaskLogFormatContract;

/** The reduce-worker's logging settings: see {@link TaskLogFormatContract}. */
class LogFormatTest extends TaskLogFormatContract {

    @Override
    protected String serviceName() {
        return "reduce-worker";
    }
}
