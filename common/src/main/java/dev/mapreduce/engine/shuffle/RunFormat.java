package dev.mapreduce.engine.shuffle;

/**
 * The shuffle run format, version 1. A run is one map task's output for one reduce partition:
 * its keys in ascending unsigned-byte (= code point) order, each with a partial {@code (a, b)}.
 *
 * <pre>
 * header  'M' 'R' version:u8 flags:u8 entries:i32 crc32c:i32   (big-endian)
 * body    per entry: shared:varint suffixLength:varint suffix:bytes a:zigzag-varlong [b:zigzag-varlong]
 * </pre>
 *
 * The CRC32C covers version, flags, entry count and body. {@code shared} is the length of the prefix the key shares with the previous key; flag bit 0
 * says entries carry {@code b}. A reader checks magic, version, CRC and entry count, so a
 * truncated or damaged run is detected, never merged.
 */
final class RunFormat {

    static final byte MAGIC_0 = 'M';
    static final byte MAGIC_1 = 'R';
    static final byte VERSION = 1;
    static final int FLAG_WITH_COUNT = 1;
    static final int HEADER_BYTES = 12;

    private RunFormat() {}

    /** CRC32C of header bytes 2..7 (version, flags, entries) and of the body of {@code run[0, size)}. */
    static int checksum(byte[] run, int size) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(run, 2, 6);
        crc.update(run, HEADER_BYTES, size - HEADER_BYTES);
        return (int) crc.getValue();
    }
}
