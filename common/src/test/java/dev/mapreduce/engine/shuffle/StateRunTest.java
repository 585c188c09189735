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
                new CounterCodec(),
                true,
                (key, len, state) ->
                        got.add(new String(key, 0, len, StandardCharsets.UTF_8) + "=" + ((long[]) state)[0]));
        assertThat(got).containsExactly("a=3", "b=7", "c=5");
        assertThat(read).isEqualTo(4);
    }

    @Test
    void addStateOnceSkipsOnlyTheKeyAddedLast() {
        RunWriter w = RunWriter.ofStates();
        byte[] empty = new byte[0];
        List<Boolean> added = new ArrayList<>();
        for (String key : new String[] {"a", "a", "ab", "ab", "ab", "b", "ba"}) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            added.add(w.addStateOnce(k, 0, k.length, empty, 0, 0));
        }
        assertThat(added).containsExactly(true, false, true, false, false, true, true);
        RunReader r = new RunReader(w.finish());
        List<String> keys = new ArrayList<>();
        while (r.next()) {
            keys.add(new String(r.key(), 0, r.keyLength(), StandardCharsets.UTF_8));
        }
        assertThat(keys).containsExactly("a", "ab", "b", "ba");
        assertThat(r.entries()).isEqualTo(4);
    }

    @Test
    void aRunSaysItHoldsStatesAndAPartialRunDoesNot() {
        assertThat(new RunReader(run("a", "1")).hasStates()).isTrue();
        RunWriter partials = new RunWriter(false);
        partials.add(new byte[] {'a'}, 0, 1, 1, 0);
        byte[] partialRun = partials.finish();
        assertThat(new RunReader(partialRun).hasStates()).isFalse();
        assertThatThrownBy(() -> RunMerger.mergeStates(
                        List.of(new RunReader(partialRun)), new CounterCodec(), true, (k, l, s) -> {}))
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
