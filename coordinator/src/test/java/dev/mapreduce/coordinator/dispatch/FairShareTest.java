package dev.mapreduce.coordinator.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.coordinator.SchedulerSettings;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FairShareTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    static FairShare.Job job(String name, int ageSeconds, int inFlight, int waiting) {
        return new FairShare.Job(
                UUID.nameUUIDFromBytes(name.getBytes()),
                T0.minusSeconds(ageSeconds),
                inFlight,
                IntStream.range(0, waiting).boxed().toList());
    }

    static long picksOf(List<FairShare.Pick> picks, FairShare.Job job) {
        return picks.stream().filter(p -> p.jobId().equals(job.jobId())).count();
    }

    @Test
    void aJobJustSubmittedGetsTheFreeSlotsBeforeABigJobsBacklog() {
        FairShare.Job big = job("big", 600, 8, 500);
        FairShare.Job small = job("small", 0, 0, 2);

        List<FairShare.Pick> picks = FairShare.pick(List.of(big, small), 8, 2);

        assertThat(picks).containsExactly(new FairShare.Pick(small.jobId(), 0), new FairShare.Pick(small.jobId(), 1));
    }

    @Test
    void jobsTakeTurnsFewestInFlightFirstAndTheOlderOnATie() {
        FairShare.Job old = job("old", 60, 0, 10);
        FairShare.Job young = job("young", 10, 0, 10);
        FairShare.Job busy = job("busy", 90, 2, 10);

        List<FairShare.Pick> picks = FairShare.pick(List.of(young, busy, old), 10, 7);

        assertThat(picks)
                .extracting(FairShare.Pick::jobId)
                .containsExactly(
                        old.jobId(),
                        young.jobId(), // both at 0, the older first
                        old.jobId(),
                        young.jobId(), // both at 1
                        busy.jobId(),
                        old.jobId(),
                        young.jobId()); // all three at 2: the oldest first
    }

    @Test
    void noJobGoesPastItsLimitAndSlotsMayStayFree() {
        FairShare.Job a = job("a", 30, 1, 10);
        FairShare.Job b = job("b", 20, 3, 10);

        List<FairShare.Pick> picks = FairShare.pick(List.of(a, b), 3, 100);

        assertThat(picksOf(picks, a)).isEqualTo(2);
        assertThat(picksOf(picks, b)).isZero();
    }

    @Test
    void eachJobsTasksGoInTheirWaitingOrder() {
        FairShare.Job a = new FairShare.Job(UUID.randomUUID(), T0, 0, List.of(7, 3, 9));

        assertThat(FairShare.pick(List.of(a), 5, 5))
                .extracting(FairShare.Pick::taskIndex)
                .containsExactly(7, 3, 9);
    }

    @Test
    void nothingIsPickedWithoutAFreeSlot() {
        assertThat(FairShare.pick(List.of(job("a", 1, 0, 3)), 4, 0)).isEmpty();
    }

    @Test
    void automaticLimitsFollowTheLiveWorkers() {
        SchedulerSettings.Dispatch auto = new SchedulerSettings.Dispatch(0, 0, 2);
        assertThat(auto.jobLimit(0)).isEqualTo(2);
        assertThat(auto.jobLimit(5)).isEqualTo(10);
        assertThat(auto.maxInFlight(5)).isEqualTo(40);

        SchedulerSettings.Dispatch fixed = new SchedulerSettings.Dispatch(3, 7, 2);
        assertThat(fixed.jobLimit(50)).isEqualTo(3);
        assertThat(fixed.maxInFlight(50)).isEqualTo(7);
        assertThat(new SchedulerSettings.Dispatch(3, 0, 2).maxInFlight(50)).isEqualTo(12);

        assertThatThrownBy(() -> new SchedulerSettings.Dispatch(-1, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job-limit");
        assertThatThrownBy(() -> new SchedulerSettings.Dispatch(0, 0, 0)).hasMessageContaining("slots-per-worker");
    }
}
