package dev.mapreduce.runtime.redis;

import dev.mapreduce.engine.shuffle.CorruptRunException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * What the key of a run stored in chunks holds instead of the run: its size and how it is cut.
 *
 * <pre>
 * 'M' 'C' version=1:u8 0:u8 size:i64 chunkBytes:i32 chunks:i32 crc32c:i32   (big-endian; the CRC covers the 20 bytes before it)
 * </pre>
 *
 * A run starts with {@code 'M' 'R'}, so the two never mix up.
 */
record RunManifest(long size, int chunkBytes, int chunks) {

    static final int BYTES = 24;

    RunManifest {
        if (size <= 0 || chunkBytes <= 0 || chunks != (size + chunkBytes - 1) / chunkBytes) {
            throw new IllegalArgumentException(
                    "inconsistent chunked run: " + size + " bytes, " + chunks + " chunks of " + chunkBytes);
        }
    }

    static RunManifest of(long size, int chunkBytes) {
        return new RunManifest(size, chunkBytes, (int) ((size + chunkBytes - 1) / chunkBytes));
    }

    /** Whether {@code value}, a stored value or its first bytes, starts like a manifest. */
    static boolean isManifest(byte[] value) {
        return value.length >= 2 && value[0] == 'M' && value[1] == 'C';
    }

    /** Bytes of chunk {@code chunk}: {@code chunkBytes}, the last one the rest. */
    int length(int chunk) {
        return (int) Math.min(chunkBytes, size - (long) chunk * chunkBytes);
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.put((byte) 'M').put((byte) 'C').put((byte) 1).put((byte) 0);
        b.putLong(size).putInt(chunkBytes).putInt(chunks);
        b.putInt(checksum(b.array()));
        return b.array();
    }

    /**
     * @param source reported by the {@link CorruptRunException} if the manifest is damaged
     */
    static RunManifest decode(byte[] value, int source) {
        if (value.length != BYTES || value[2] != 1 || value[3] != 0) {
            throw new CorruptRunException(
                    "damaged or unknown chunked run manifest (" + value.length + " bytes)", source);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (b.getInt(20) != checksum(value)) {
            throw new CorruptRunException("chunked run manifest checksum mismatch", source);
        }
        try {
            return new RunManifest(b.getLong(4), b.getInt(12), b.getInt(16));
        } catch (IllegalArgumentException e) {
            throw new CorruptRunException(e.getMessage(), source);
        }
    }

    private static int checksum(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 20);
        return (int) crc.getValue();
    }
}
