package dev.mapreduce.coordinator.leader;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which coordinator leads, for scripts and dashboards. */
@RestController
class LeadershipController {

    private final LeaderElection election;

    LeadershipController(LeaderElection election) {
        this.election = election;
    }

    @GetMapping("/internal/leadership")
    Map<String, Object> leadership() {
        return Map.of("leader", election.isLeader(), "instance", election.instance());
    }
}
