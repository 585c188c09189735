package dev.mapreduce.engine.sql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A row's ORDER BY values as bytes that compare, unsigned and byte by byte (as PostgreSQL compares
 * {@code bytea}), exactly as {@link ResultCollector} orders rows: so the rows of every partition,
 * stored with their key, come out of the database in the query's order. Each value is a NULL
 * marker (before or after every value, as NULLS FIRST/LAST says, whatever the direction), then the
 * value: BIGINT and TIMESTAMP as 8 bytes with the sign bit flipped, DOUBLE as 8 bytes in
 * {@link Double#compare} order, BOOLEAN as one byte, VARCHAR as its UTF-8 bytes (which sort by code
 * point) with 0x00 written 0x00 0xFF and ended by 0x00 0x00, so no value is a prefix of another;
 * DESC inverts the value's bytes.
 */
final class OrderKey {

    private static final int NULL_FIRST = 0x00;
    private static final int PRESENT = 0x01;
    private static final int NULL_LAST = 0x02;

    private OrderKey() {}

    static byte[] of(Object[] order, boolean[] descending, boolean[] nullsFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * order.length);
        for (int i = 0; i < order.length; i++) {
            Object v = order[i];
            if (v == null) {
                out.write(nullsFirst[i] ? NULL_FIRST : NULL_LAST);
                continue;
            }
            out.write(PRESENT);
            byte[] value = value(v);
            if (descending[i]) {
                for (int j = 0; j < value.length; j++) {
                    value[j] = (byte) ~value[j];
                }
            }
            out.write(value, 0, value.length);
        }
        return out.toByteArray();
    }

    private static byte[] value(Object v) {
        if (v instanceof Double d) {
            long bits = Double.doubleToLongBits(d);
            return bigEndian(bits < 0 ? ~bits : bits ^ Long.MIN_VALUE);
        }
        if (v instanceof Number n) {
            return bigEndian(n.longValue() ^ Long.MIN_VALUE);
        }
        if (v instanceof Boolean b) {
            return new byte[] {(byte) (b ? 1 : 0)};
        }
        byte[] utf8 = v.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 2);
        for (byte c : utf8) {
            out.write(c);
            if (c == 0) {
                out.write(0xFF);
            }
        }
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] bigEndian(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
