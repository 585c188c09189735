package dev.mapreduce.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InputPlannerTest {

    @Test
    void splitsOnePartitionEvenly() {
        List<List<OffsetRange>> splits = InputPlanner.split(List.of(new OffsetRange(0, 0, 10)), 4);
        assertThat(splits)
                .containsExactly(
                        List.of(new OffsetRange(0, 0, 2)),
                        List.of(new OffsetRange(0, 2, 5)),
                        List.of(new OffsetRange(0, 5, 7)),
                        List.of(new OffsetRange(0, 7, 10)));
    }

    @Test
    void aTaskMaySpanPartitions() {
        List<List<OffsetRange>> splits =
                InputPlanner.split(List.of(new OffsetRange(0, 5, 8), new OffsetRange(1, 100, 103)), 2);
        assertThat(splits).containsExactly(List.of(new OffsetRange(0, 5, 8)), List.of(new OffsetRange(1, 100, 103)));
        splits = InputPlanner.split(List.of(new OffsetRange(0, 5, 9), new OffsetRange(1, 100, 102)), 2);
        assertThat(splits)
                .containsExactly(
                        List.of(new OffsetRange(0, 5, 8)),
                        List.of(new OffsetRange(0, 8, 9), new OffsetRange(1, 100, 102)));
    }

    @Test
    void neverMoreTasksThanRecordsButAlwaysOne() {
        assertThat(InputPlanner.split(List.of(new OffsetRange(0, 0, 3)), 100)).hasSize(3);
        assertThat(InputPlanner.split(List.of(new OffsetRange(0, 7, 7), new OffsetRange(1, 0, 0)), 4))
                .containsExactly(List.of());
        assertThat(InputPlanner.split(List.of(), 4)).containsExactly(List.of());
    }

    @Test
    void everyRecordIsInExactlyOneTaskAndTasksAreBalanced() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            List<OffsetRange> input = new ArrayList<>();
            int partitions = 1 + random.nextInt(6);
            for (int p = 0; p < partitions; p++) {
                long start = random.nextInt(1000);
                input.add(new OffsetRange(p, start, start + (random.nextBoolean() ? random.nextInt(50) : 0)));
            }
            int mappers = 1 + random.nextInt(20);
            List<List<OffsetRange>> splits = InputPlanner.split(input, mappers);
            long total = input.stream().mapToLong(OffsetRange::count).sum();
            assertThat(splits).hasSize((int) Math.max(1, Math.min(mappers, total)));
            for (OffsetRange range : input) {
                long next = range.start();
                for (List<OffsetRange> split : splits) {
                    for (OffsetRange piece : split) {
                        if (piece.partition() == range.partition()) {
                            assertThat(piece.start()).isEqualTo(next);
                            next = piece.end();
                        }
                    }
                }
                assertThat(next).isEqualTo(range.end());
            }
            long min = splits.stream()
                    .mapToLong(s -> s.stream().mapToLong(OffsetRange::count).sum())
                    .min()
                    .orElseThrow();
            long max = splits.stream()
                    .mapToLong(s -> s.stream().mapToLong(OffsetRange::count).sum())
                    .max()
                    .orElseThrow();
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void rejectsZeroMappers() {
        assertThatThrownBy(() -> InputPlanner.split(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsBeyondIntRange() {
        List<List<OffsetRange>> splits = InputPlanner.split(List.of(new OffsetRange(0, 0, 5_000_000_000_000L)), 3);
        assertThat(splits.get(2).get(0).end()).isEqualTo(5_000_000_000_000L);
    }
}
