package dev.mapreduce.engine.sql;

/**
 * A query that cannot run: a syntax error, an unknown column or function, an unsupported
 * construct, a type error, a bad regular expression, or (while running) a value a CAST cannot
 * convert. It names the construct and where it is in the query text (1-based line and column; 0
 * when the error is about the query as a whole).
 */
public class QueryException extends RuntimeException {

    private final int line;
    private final int column;

    public QueryException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message with its position, as the CLI prints it: {@code line 1, column 8: ...}. */
    public String describe() {
        return line > 0 ? "line " + line + ", column " + column + ": " + getMessage() : getMessage();
    }
}
