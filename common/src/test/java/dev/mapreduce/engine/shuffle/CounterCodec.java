package dev.mapreduce.engine.shuffle;

/** A test state of one counter, encoded as a varlong. */
public final class CounterCodec implements StateCodec {

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
