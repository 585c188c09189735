package dev.mapreduce.engine.shuffle;

import java.util.Arrays;

/** A growable byte buffer an aggregate state is encoded into; reused for every state. */
public final class StateOutput {

    private byte[] b = new byte[64];
    private int length;

    public void reset() {
        length = 0;
    }

    public byte[] bytes() {
        return b;
    }

    public int length() {
        return length;
    }

    public void putVarLong(long v) {
        ensure(10);
        length = RunWriter.putVarLong(b, length, RunWriter.zigzag(v));
    }

    public void putBytes(byte[] src, int off, int len) {
        putVarLong(len);
        ensure(len);
        System.arraycopy(src, off, b, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, length + more));
        }
    }

    /** Reads what {@link StateOutput} wrote: a cursor over {@code b[off, end)}. */
    public static final class Input {
        private byte[] b;
        private int pos;
        private int end;

        public Input reset(byte[] b, int off, int len) {
            this.b = b;
            this.pos = off;
            this.end = off + len;
            return this;
        }

        public boolean atEnd() {
            return pos >= end;
        }

        public long varLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new CorruptRunException("aggregate state ends inside a number");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return (v >>> 1) ^ -(v & 1);
                }
            }
            throw new CorruptRunException("aggregate state has an over-long number");
        }

        /** The next byte string: its length; its bytes are at {@link #array()}[{@link #at()} - length, at()). */
        public int bytes() {
            long len = varLong();
            if (len < 0 || len > end - pos) {
                throw new CorruptRunException("aggregate state has a byte string past its end");
            }
            pos += (int) len;
            return (int) len;
        }

        public byte[] array() {
            return b;
        }

        public int at() {
            return pos;
        }
    }
}
