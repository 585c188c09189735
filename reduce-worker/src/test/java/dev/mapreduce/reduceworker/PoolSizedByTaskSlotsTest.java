package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The reduce worker's pool follows TASK_SLOTS, as the environment sets them (Spring's MAPREDUCE_* names). */
class PoolSizedByTaskSlotsTest {

    static int poolSizeWith(Map<String, Object> environmentVariables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environmentVariables));
        ConfigurationPropertySources.attach(environment);
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setMaximumPoolSize(10);
            if (environmentVariables.get("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE") instanceof String explicit) {
                pool.setMaximumPoolSize(Integer.parseInt(explicit)); // as Spring's binding would
            }
            new PoolSizedByTaskSlots(environment).postProcessAfterInitialization(pool, "dataSource");
            return pool.getMaximumPoolSize();
        }
    }

    @Test
    void thePoolHasOneConnectionPerTaskSlotPlusOneForHealth() {
        assertThat(poolSizeWith(Map.of())).isEqualTo(3);
        assertThat(poolSizeWith(Map.of("MAPREDUCE_TASKSLOTS", "8"))).isEqualTo(9);
        assertThat(poolSizeWith(Map.of("MAPREDUCE_TASKSLOTS", "1"))).isEqualTo(2);
    }

    @Test
    void anExplicitPoolSizeWins() {
        assertThat(poolSizeWith(Map.of("MAPREDUCE_TASKSLOTS", "8", "MAPREDUCE_DBPOOL", "4")))
                .isEqualTo(4);
        assertThat(poolSizeWith(Map.of("MAPREDUCE_TASKSLOTS", "8", "SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "5")))
                .isEqualTo(5);
    }
}
