package dev.mapreduce.coordinator.leader;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which coordinator leads, for scripts and dashboards. */
@RestController
class LeadershipController {

    private final LeaderElection election;

    LeadershipController(LeaderElection election) {
        this.election = election;
    }

    /** {@code {"leader": true, "instance": "..."}}, in that order (a Map.of would change it per JVM). */
    record Leadership(boolean leader, String instance) {}

    @GetMapping("/internal/leadership")
    Leadership leadership() {
        return new Leadership(election.isLeader(), election.instance());
    }
}
