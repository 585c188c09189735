package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;

/** Order keys compare, byte by byte, exactly as ResultCollector orders rows (what PostgreSQL's bytea order relies on). */
class OrderKeyTest {

    private static final String[] TEXTS = {"", "a", "a\0", "a\0b", "ab", "b", "Z", "é", "日本", "🚀", "\0", "a\u00ff"};
    private static final double[] DOUBLES = {
        -0.0, 0.0, 1.5, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300, -1e300
    };
    private static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 255, 256, -256};

    private int seed;

    @RepeatedTest(20)
    void bytesOrderRowsAsTheCollectorDoes() {
        SplittableRandom rnd = new SplittableRandom(seed++);
        boolean[] descending = new boolean[4];
        boolean[] nullsFirst = new boolean[4];
        for (int i = 0; i < 4; i++) {
            descending[i] = rnd.nextBoolean();
            nullsFirst[i] = rnd.nextBoolean();
        }
        List<Object[]> orders = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            orders.add(new Object[] {
                rnd.nextInt(6) == 0 ? null : LONGS[rnd.nextInt(LONGS.length)],
                rnd.nextInt(6) == 0 ? null : DOUBLES[rnd.nextInt(DOUBLES.length)],
                rnd.nextInt(6) == 0 ? null : TEXTS[rnd.nextInt(TEXTS.length)],
                rnd.nextInt(6) == 0 ? null : rnd.nextBoolean()
            });
        }
        ResultCollector collector = new ResultCollector(descending, nullsFirst, -1, 0);
        for (Object[] o : orders) {
            collector.add(new QueryRow(new Object[0], o));
        }
        List<QueryRow> byCollector = collector.rows();
        for (int i = 1; i < byCollector.size(); i++) {
            byte[] previous = OrderKey.of(byCollector.get(i - 1).order(), descending, nullsFirst);
            byte[] next = OrderKey.of(byCollector.get(i).order(), descending, nullsFirst);
            int c = Arrays.compareUnsigned(previous, next);
            assertThat(c)
                    .as(
                            "%s then %s",
                            Arrays.toString(byCollector.get(i - 1).order()),
                            Arrays.toString(byCollector.get(i).order()))
                    .isLessThanOrEqualTo(0);
            if (c == 0) {
                assertThat(byCollector.get(i).order())
                        .isEqualTo(byCollector.get(i - 1).order());
            }
        }
    }
}
