package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The split rules over an opener that serves bytes in small pieces, as ranged reads from a store
 * do: every line once wherever the cuts fall, and a split reads only a little past its end.
 */
class ByteRangeSplitTest {

    private static final List<String> LINES =
            List.of("first", "", "a longer line with ünïcode", "x\r", "y", "last without newline");
    private static final byte[] BYTES = String.join("\n", LINES).getBytes(StandardCharsets.UTF_8);

    /** Where each open started, how far it was read, and where it expected to stop. */
    private final List<long[]> opens = new ArrayList<>();

    @Test
    void threeSplitsReadEveryLineOnceAtEveryPairOfCuts() throws Exception {
        for (int a = 0; a <= BYTES.length; a++) {
            for (int b = a; b <= BYTES.length; b++) {
                List<String> read = new ArrayList<>();
                read.addAll(read(0, a));
                read.addAll(read(a, b));
                read.addAll(read(b, BYTES.length));
                assertThat(read)
                        .as("cuts at %d and %d", a, b)
                        .isEqualTo(LINES.stream()
                                .map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l)
                                .toList());
            }
        }
    }

    /** So that a store fetches about the split's bytes first, not the rest of the object. */
    @Test
    void aSplitOpensOnceAtItsStartTellingWhereItExpectsToStop() throws Exception {
        int cut = "first\n\na longer".getBytes(StandardCharsets.UTF_8).length;
        read(cut, cut + 10);
        assertThat(opens).singleElement().satisfies(open -> {
            assertThat(open[0]).isEqualTo(cut);
            assertThat(open[2]).isEqualTo(cut + 10);
        });
    }

    private List<String> read(long start, long end) throws Exception {
        List<String> lines = new ArrayList<>();
        RangeOpener opener = (from, until) -> {
            long[] open = {from, from, until};
            opens.add(open);
            return new TrickleStream(BYTES, (int) from, open);
        };
        new ByteRangeSplit("mem", opener, start, end, false).forEachLine(new LineHandler() {
            @Override
            public void line(byte[] buf, int off, int len) {
                lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void oversizedLine() {
                throw new AssertionError();
            }
        });
        return lines;
    }

    /** At most 3 bytes per read, recording how far it was read. */
    private static final class TrickleStream extends InputStream {
        private final ByteArrayInputStream in;
        private final long[] open;

        TrickleStream(byte[] bytes, int from, long[] open) {
            this.in = new ByteArrayInputStream(bytes, from, bytes.length - from);
            this.open = open;
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) {
                open[1]++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            int n = in.read(buf, off, Math.min(len, 3));
            if (n > 0) {
                open[1] += n;
            }
            return n;
        }
    }
}
