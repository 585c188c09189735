package dev.mapreduce.coordinator;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The workers the coordinator knows, for the gateway. */
@RestController
class InternalWorkerController {

    private final WorkerViews workers;

    InternalWorkerController(WorkerViews workers) {
        this.workers = workers;
    }

    @GetMapping("/internal/workers")
    WorkerViews.Workers workers() {
        return workers.all();
    }
}
