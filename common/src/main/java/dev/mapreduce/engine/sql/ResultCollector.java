package dev.mapreduce.engine.sql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The final step of a query: ORDER BY (DuckDB's order: ascending, NULLs last unless asked),
 * OFFSET and LIMIT over the rows of every partition. With a LIMIT it keeps only the top
 * {@code offset + limit} rows, so a top-K over millions of groups holds K rows.
 */
public final class ResultCollector {

    private final Comparator<QueryRow> order;
    private final long limit;
    private final long offset;
    private final List<QueryRow> all = new ArrayList<>();
    private final PriorityQueue<QueryRow> top;
    private final boolean ordered;

    ResultCollector(boolean[] descending, boolean[] nullsFirst, long limit, long offset) {
        this.limit = limit;
        this.offset = offset;
        this.ordered = descending.length > 0;
        this.order = (x, y) -> {
            for (int i = 0; i < descending.length; i++) {
                int c = compare(x.order()[i], y.order()[i], descending[i], nullsFirst[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        this.top = ordered && limit >= 0 ? new PriorityQueue<>(order.reversed()) : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b, boolean descending, boolean nullsFirst) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            return (a == null) == nullsFirst ? -1 : 1;
        }
        int c;
        if (a instanceof Number x && b instanceof Number y && (a instanceof Double || b instanceof Double)) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof String x && b instanceof String y) {
            c = compareUtf8(x, y);
        } else {
            c = ((Comparable) a).compareTo(b);
        }
        return descending ? -c : c;
    }

    /** Strings in code point order, as UTF-8 bytes compare (and DuckDB sorts). */
    private static int compareUtf8(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }

    /** Adds a row; not thread-safe (reduce partitions each add under the caller's lock). */
    public void add(QueryRow row) {
        if (top != null) {
            top.add(row);
            if (top.size() > offset + limit) {
                top.poll();
            }
        } else if (ordered || limit < 0 || all.size() < offset + limit) {
            all.add(row);
        }
    }

    /**
     * The rows that can be among the result's: in order, at most {@code offset + limit}, the
     * OFFSET's rows included (a reduce partition's share of a job's result, which the job's
     * final step orders and cuts).
     */
    public List<QueryRow> top() {
        List<QueryRow> rows = top != null ? new ArrayList<>(top) : new ArrayList<>(all);
        if (ordered) {
            rows.sort(order);
        }
        return limit < 0 ? rows : rows.subList(0, (int) Math.min(rows.size(), offset + limit));
    }

    /** The result rows, in order, past OFFSET, at most LIMIT. */
    public List<QueryRow> rows() {
        List<QueryRow> rows = top != null ? new ArrayList<>(top) : new ArrayList<>(all);
        if (ordered) {
            rows.sort(order);
        }
        int from = (int) Math.min(offset, rows.size());
        int to = limit < 0 ? rows.size() : (int) Math.min(rows.size(), offset + limit);
        return rows.subList(from, to);
    }
}
