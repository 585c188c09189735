package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.TaskType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TaskMdcTest {

    private final UUID job = UUID.randomUUID();

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void anAttemptPutsItsJobTaskAndAttemptAndClosingRemovesThem() {
        try (var ignored = TaskMdc.of(new AttemptRef(job, TaskType.REDUCE, 1, 3))) {
            assertThat(MDC.getCopyOfContextMap())
                    .isEqualTo(Map.of("jobId", job.toString(), "task", "reduce-1", "attempt", "3"));
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void aTaskBeforeItsNextAttemptHasNoAttemptNumber() {
        try (var ignored = TaskMdc.of(new AttemptRef(job, TaskType.MAP, 0, 0))) {
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("jobId", job.toString(), "task", "map-0"));
        }
    }

    @Test
    void nestedScopesPutBackWhatWasThereAndLeaveOtherKeysAlone() {
        MDC.put("unrelated", "kept");
        try (var jobScope = TaskMdc.of(job)) {
            try (var attemptScope = TaskMdc.of(new AttemptRef(job, TaskType.MAP, 7, 2))) {
                assertThat(MDC.get("task")).isEqualTo("map-7");
            }
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("unrelated", "kept", "jobId", job.toString()));
        }
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("unrelated", "kept"));
    }
}
