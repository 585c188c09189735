package dev.mapreduce.engine.shuffle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs of aggregate states (flag bit 1): written, read back, merged, and checked like runs of partials. */
class StateRunTest {

    /** A state of one counter, encoded as a varlong. */
    static final class Counter implements StateCodec {
        @Override
        public Object create(byte[] key, int off, int len) {
            return new long[1];
        }

        @Override
        public void merge(Object state, byte[] b, int off, int len) {
            ((long[]) state)[0] += new StateOutput.Input().reset(b, off, len).varLong();
        }

        @Override
        public void encode(Object state, StateOutput out) {
            out.putVarLong(((long[]) state)[0]);
        }

        @Override
        public int stateBytes() {
            return 24;
        }
    }

    static byte[] run(String... keysAndCounts) {
        RunWriter w = RunWriter.ofStates();
        StateOutput out = new StateOutput();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            byte[] k = keysAndCounts[i].getBytes(StandardCharsets.UTF_8);
            out.reset();
            out.putVarLong(Long.parseLong(keysAndCounts[i + 1]));
            w.addState(k, 0, k.length, out.bytes(), 0, out.length());
        }
        return w.finish();
    }

    @Test
    void statesOfEqualKeysAreMergedByTheCodecInKeyOrder() {
        List<RunReader> runs = List.of(
                new RunReader(run("a", "1", "c", "5")),
                new RunReader(new ByteArrayInputStream(run("a", "2", "b", "7")), 64, 1));
        List<String> got = new ArrayList<>();
        long read = RunMerger.mergeStates(
                runs,
                new Counter(),
                true,
                (key, len, state) ->
                        got.add(new String(key, 0, len, StandardCharsets.UTF_8) + "=" + ((long[]) state)[0]));
        assertThat(got).containsExactly("a=3", "b=7", "c=5");
        assertThat(read).isEqualTo(4);
    }

    @Test
    void aRunSaysItHoldsStatesAndAPartialRunDoesNot() {
        assertThat(new RunReader(run("a", "1")).hasStates()).isTrue();
        RunWriter partials = new RunWriter(false);
        partials.add(new byte[] {'a'}, 0, 1, 1, 0);
        byte[] partialRun = partials.finish();
        assertThat(new RunReader(partialRun).hasStates()).isFalse();
        assertThatThrownBy(() ->
                        RunMerger.mergeStates(List.of(new RunReader(partialRun)), new Counter(), true, (k, l, s) -> {}))
                .isInstanceOf(CorruptRunException.class);
    }

    @Test
    void aDamagedStateRunIsRefused() {
        byte[] run = run("key", "42", "other", "7");
        run[RunFormat.HEADER_BYTES + RunFormat.BLOCK_HEADER_BYTES + 3] ^= 0x10;
        assertThatThrownBy(() -> new RunReader(run)).isInstanceOf(CorruptRunException.class);
    }

    @Test
    void aStateRunIsNeverReadAsPartials() {
        RunWriter states = RunWriter.ofStates();
        assertThatThrownBy(() -> states.add(new byte[] {'a'}, 0, 1, 1, 0)).isInstanceOf(IllegalStateException.class);
    }
}
