package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.TaskCancelledException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.ByteStreamWriter;

class CopyRowsTest {

    private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-00000000002a");

    private final RecordingCopy copy = new RecordingCopy();

    @Test
    void writesTextFormatRowsWithEscapedKeysAndDecimalValues() {
        CopyRows rows = new CopyRows(copy, ReduceFunction.SUM, JOB);

        accept(rows, "a\tb\\c\nd\re", Long.MIN_VALUE);
        accept(rows, "\\N", -1);
        accept(rows, "ünï 日本", 0);
        accept(rows, "", Long.MAX_VALUE);
        rows.flush();

        assertThat(copy.text())
                .isEqualTo(JOB + "\ta\\tb\\\\c\\nd\\re\t-9223372036854775808\n"
                        + JOB + "\t\\\\N\t-1\n"
                        + JOB + "\tünï 日本\t0\n"
                        + JOB + "\t\t9223372036854775807\n");
        assertThat(rows.rows()).isEqualTo(4);
    }

    @Test
    void writesAveragesWithTheirDecimals() {
        CopyRows rows = new CopyRows(copy, ReduceFunction.AVG, JOB);

        rows.accept(utf8("k"), 1, 10, 3);
        rows.flush();

        assertThat(copy.text()).isEqualTo(JOB + "\tk\t3.333333\n");
    }

    @Test
    void flushesWhenTheBufferIsFullAndGrowsItForAHugeKey() {
        CopyRows rows = new CopyRows(copy, ReduceFunction.COUNT, JOB);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            accept(rows, "key-" + i, i);
            expected.append(JOB)
                    .append("\tkey-")
                    .append(i)
                    .append('\t')
                    .append(i)
                    .append('\n');
        }
        String huge = "\t".repeat(CopyRows.BUFFER_BYTES);
        accept(rows, huge, 1);
        expected.append(JOB)
                .append('\t')
                .append("\\t".repeat(CopyRows.BUFFER_BYTES))
                .append("\t1\n");
        rows.flush();

        assertThat(copy.writes).isGreaterThan(3);
        assertThat(copy.text()).isEqualTo(expected.toString());
    }

    @Test
    void writesEachNulOfAKeyAsTheSymbolForNullAsMrLocalDoes() {
        CopyRows rows = new CopyRows(copy, ReduceFunction.SUM, JOB);
        String nuls = "\0".repeat(CopyRows.BUFFER_BYTES);

        accept(rows, "bad\0key\0", 1);
        accept(rows, nuls, 2);
        rows.flush();

        assertThat(copy.text())
                .isEqualTo(JOB + "\tbad␀key␀\t1\n" + JOB + "\t" + "␀".repeat(CopyRows.BUFFER_BYTES) + "\t2\n");
    }

    @Test
    void stopsEveryFewThousandRowsOnceTheAttemptIsCancelled() {
        Cancellation cancellation = new Cancellation();
        CopyRows rows = new CopyRows(copy, ReduceFunction.SUM, JOB, cancellation);
        accept(rows, "first", 1);
        cancellation.cancel("job was cancelled");
        for (int i = 1; i < CopyRows.CANCEL_CHECK_ROWS; i++) {
            accept(rows, "k" + i, i);
        }

        assertThatThrownBy(() -> accept(rows, "one too many", 1))
                .isInstanceOf(TaskCancelledException.class)
                .hasMessage("job was cancelled");
        assertThat(rows.rows()).isEqualTo(CopyRows.CANCEL_CHECK_ROWS);
    }

    private static void accept(CopyRows rows, String key, long value) {
        byte[] bytes = utf8(key);
        rows.accept(bytes, bytes.length, value, 0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Collects what would be sent to the server. */
    private static final class RecordingCopy implements CopyIn {

        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int writes;

        String text() {
            return sent.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void writeToCopy(byte[] buf, int off, int siz) {
            sent.write(buf, off, siz);
            writes++;
        }

        @Override
        public void writeToCopy(ByteStreamWriter from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flushCopy() {}

        @Override
        public long endCopy() {
            return 0;
        }

        @Override
        public int getFieldCount() {
            return 3;
        }

        @Override
        public int getFormat() {
            return 0;
        }

        @Override
        public int getFieldFormat(int field) {
            return 0;
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void cancelCopy() {}

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
