package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.coordinator.leader.LeaderElection;
import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two coordinators on one database: when the leader's task event consumer dies (its thread
 * stops), the leader gives its PostgreSQL lock up and the standby takes over, so events are
 * applied again.
 */
class LeaderFailoverIT {

    private static final String DATABASE = TestDatabase.create("leader_failover");

    private final List<ConfigurableApplicationContext> coordinators = new ArrayList<>();

    @AfterEach
    void stopCoordinators() {
        coordinators.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aLeaderWhoseEventConsumerDiesHandsTheLeadershipToTheStandby() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        LeaderElection first = start("first-" + suffix);
        await().atMost(Duration.ofSeconds(30)).until(first::isLeader);
        LeaderElection second = start("second-" + suffix);
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> first.isLeader() && !second.isLeader());

        Thread events = thread("task-events-" + first.instance());
        // the consumer dies of whatever ends its loop; an interrupt does (poll throws)
        await().atMost(Duration.ofSeconds(10)).dontCatchUncaughtExceptions().until(() -> {
            events.interrupt();
            return !events.isAlive();
        });

        await().atMost(Duration.ofSeconds(20)).dontCatchUncaughtExceptions().until(second::isLeader);
        assertThat(first.isLeader()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .dontCatchUncaughtExceptions()
                .until(() -> isRunning("task-events-" + second.instance()));
    }

    private LeaderElection start(String id) {
        // as arguments: they win over application.yml, as the environment would
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CoordinatorApplication.class)
                .run(
                        "--server.port=0",
                        "--mapreduce.coordinator-id=" + id,
                        "--mapreduce.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--mapreduce.internal.token=" + CoordinatorTestBase.SERVICE_TOKEN,
                        "--spring.datasource.url=" + DATABASE,
                        "--spring.datasource.username=" + TestDatabase.USER,
                        "--spring.datasource.password=" + TestDatabase.PASSWORD);
        coordinators.add(context);
        return context.getBean(LeaderElection.class);
    }

    private static boolean isRunning(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }
}
