package dev.mapreduce.engine.shuffle;

import java.util.zip.CRC32C;

/**
 * The shuffle run format, version 2. A run is one map task's output for one reduce partition:
 * its keys in ascending unsigned-byte (= code point) order, each with a partial {@code (a, b)}.
 * It is written and read front to back in checksummed blocks, so neither side needs the whole
 * run in memory and a reader uses no byte of a block before the block has passed its check.
 *
 * <pre>
 * header   'M' 'R' version:u8 flags:u8
 * block*   length:i32 crc32c:i32 body        (length &gt; 0; a body holds whole entries)
 * trailer  0:i32 entries:i64 crc32c:i32      (all big-endian)
 * entry    shared:varint suffixLength:varint suffix:bytes a:zigzag-varlong [b:zigzag-varlong]
 *          or, with flag bit 1: shared:varint suffixLength:varint suffix:bytes stateLength:varint state:bytes
 * </pre>
 *
 * {@code shared} is the length of the prefix the key shares with the previous key (across
 * blocks too); flag bit 0 says entries carry {@code b}; flag bit 1 says entries carry an opaque
 * aggregate state instead of a partial (a query's; see {@link StateCodec}), and bit 0 is then clear.
 * Runs of the built-in functions never set bit 1, so their bytes are those of version 2 as it was. The checksums form a chain: a block's
 * CRC32C covers the previous checksum (for the first block, the CRC32C of the header), its
 * length and its body; the trailer's covers the last block's checksum, the zero length and the
 * entry count. So a damaged header, block or trailer, a block dropped, repeated or moved, a
 * truncated run (it lacks the trailer) and bytes after the trailer are all detected.
 */
final class RunFormat {

    static final byte MAGIC_0 = 'M';
    static final byte MAGIC_1 = 'R';
    static final byte VERSION = 2;
    static final int FLAG_WITH_COUNT = 1;
    static final int FLAG_STATE = 2;
    static final int HEADER_BYTES = 4;
    static final int BLOCK_HEADER_BYTES = 8;
    static final int TRAILER_BYTES = 16;
    /** A block is closed once its body reaches this size; an entry never spans two blocks. */
    static final int BLOCK_BYTES = 32 * 1024;
    /** Longer blocks are refused as damaged: a key is far shorter (a line is at most 64 MiB). */
    static final int MAX_BLOCK_BYTES = 1 << 30;

    private RunFormat() {}

    /** The checksum the first block's chains from: the CRC32C of the 4 header bytes at {@code b[off]}. */
    static int headerChecksum(byte[] b, int off) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, HEADER_BYTES);
        return (int) crc.getValue();
    }

    /** The checksum of the block whose length field is at {@code b[at]}, chained to {@code previous}. */
    static int blockChecksum(CRC32C crc, int previous, byte[] b, int at, int length) {
        crc.reset();
        updateInt(crc, previous);
        crc.update(b, at, 4);
        crc.update(b, at + BLOCK_HEADER_BYTES, length);
        return (int) crc.getValue();
    }

    /** The trailer's checksum, chained to {@code previous}. */
    static int trailerChecksum(CRC32C crc, int previous, long entries) {
        crc.reset();
        updateInt(crc, previous);
        updateInt(crc, 0);
        updateInt(crc, (int) (entries >>> 32));
        updateInt(crc, (int) entries);
        return (int) crc.getValue();
    }

    private static void updateInt(CRC32C crc, int v) {
        crc.update(v >>> 24);
        crc.update(v >>> 16);
        crc.update(v >>> 8);
        crc.update(v);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) (v >>> 32));
        putInt(b, i + 4, (int) v);
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    static long getLong(byte[] b, int i) {
        return (long) getInt(b, i) << 32 | (getInt(b, i + 4) & 0xFFFFFFFFL);
    }
}
