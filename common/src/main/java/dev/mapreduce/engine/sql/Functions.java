package dev.mapreduce.engine.sql;

import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.Litmus;

/** Literals, operators and functions: checks their arguments and builds their evaluators. */
final class Functions {

    static final Set<String> AGGREGATES =
            Set.of("count", "sum", "min", "max", "avg", "approx_count_distinct", "approx_quantile");

    private final Planner planner;
    /** The regular expression searches compiled so far, to share. */
    private final List<Search> searches = new ArrayList<>();

    Functions(Planner planner) {
        this.planner = planner;
    }

    static boolean isAggregate(SqlCall c) {
        return c instanceof SqlBasicCall
                && AGGREGATES.contains(c.getOperator().getName().toLowerCase(Locale.ROOT));
    }

    private QueryException error(SqlNode at, String message) {
        return planner.error(at, message);
    }

    Ev literal(SqlLiteral lit) {
        if (lit instanceof SqlNumericLiteral n) {
            BigDecimal v = n.bigDecimalValue();
            if (n.isExact() && v.scale() <= 0) {
                try {
                    return Ev.literal(SqlType.BIGINT, v.longValueExact());
                } catch (ArithmeticException e) {
                    throw error(lit, "integer literal " + v + " does not fit BIGINT");
                }
            }
            return Ev.literal(SqlType.DOUBLE, v.doubleValue());
        }
        if (lit instanceof SqlCharStringLiteral) {
            return Ev.literal(SqlType.VARCHAR, lit.getValueAs(String.class));
        }
        if (lit instanceof SqlIntervalLiteral interval) {
            SqlIntervalLiteral.IntervalValue v = interval.getValueAs(SqlIntervalLiteral.IntervalValue.class);
            TimeUnit unit = v.getIntervalQualifier().getStartUnit();
            if (!v.getIntervalQualifier().isSingleDatetimeField()) {
                throw error(lit, "only intervals of one unit (seconds, minutes, hours or days) are supported");
            }
            long per =
                    switch (unit) {
                        case SECOND -> Times.MICROS_PER_SECOND;
                        case MINUTE -> 60 * Times.MICROS_PER_SECOND;
                        case HOUR -> 3600 * Times.MICROS_PER_SECOND;
                        case DAY -> Times.MICROS_PER_DAY;
                        default ->
                            throw error(
                                    lit,
                                    "intervals of " + unit + " are not supported: use seconds, minutes, hours or days");
                    };
            long count;
            try {
                count = Long.parseLong(v.getIntervalLiteral().strip());
            } catch (NumberFormatException e) {
                throw error(lit, "interval '" + v.getIntervalLiteral() + "' is not a whole number of " + unit);
            }
            return Ev.literal(SqlType.INTERVAL, v.getSign() * count * per);
        }
        if (lit instanceof SqlUnknownLiteral u) {
            String tag = u.tag.toUpperCase(Locale.ROOT);
            if (tag.equals("TIMESTAMP") || tag.equals("DATE")) {
                byte[] b = u.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long micros = Times.parse(b, 0, b.length);
                if (micros == Times.NOT_A_TIMESTAMP
                        || (tag.equals("DATE") && u.getValue().strip().length() != 10)) {
                    throw error(lit, "'" + u.getValue() + "' is not a " + tag);
                }
                if (tag.equals("DATE")) {
                    throw error(lit, "DATE values are not supported: use TIMESTAMP '" + u.getValue() + "'");
                }
                return Ev.literal(SqlType.TIMESTAMP, micros);
            }
            throw error(lit, tag + " literals are not supported");
        }
        if (lit.getTypeName() == SqlTypeName.BOOLEAN) {
            return Ev.literal(SqlType.BOOLEAN, lit.booleanValue());
        }
        if (lit.getTypeName() == SqlTypeName.NULL) {
            return Ev.literal(SqlType.NULL, null);
        }
        throw error(lit, lit.getTypeName() + " literals are not supported");
    }

    /** A declared BIGINT, DOUBLE or BOOLEAN field: its text converted on use, NULL when it does not convert. */
    Ev typedField(int slot, SqlType type) {
        return new Casts.Cast(new Ev.Field(slot), type, false, true, 0, 0);
    }

    Ev call(SqlCall call, Planner.Scope scope) {
        if (call instanceof SqlSelect) {
            throw error(call, "subqueries are not supported here");
        }
        if (call instanceof SqlCase c) {
            return caseWhen(c, scope);
        }
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        List<SqlNode> ops = call.getOperandList();
        switch (call.getKind()) {
            case AND:
            case OR: {
                List<Ev> parts = new ArrayList<>();
                for (SqlNode o : ops) {
                    parts.add(bool(o, scope));
                }
                return call.getKind() == SqlKind.AND ? new Ops.And(parts) : new Ops.Or(parts);
            }
            case NOT:
                return new Ops.Not(bool(ops.get(0), scope));
            case EQUALS:
                return compare(Ops.Cmp.EQ, call, scope);
            case NOT_EQUALS:
                return compare(Ops.Cmp.NE, call, scope);
            case LESS_THAN:
                return compare(Ops.Cmp.LT, call, scope);
            case LESS_THAN_OR_EQUAL:
                return compare(Ops.Cmp.LE, call, scope);
            case GREATER_THAN:
                return compare(Ops.Cmp.GT, call, scope);
            case GREATER_THAN_OR_EQUAL:
                return compare(Ops.Cmp.GE, call, scope);
            case IS_NULL:
            case IS_NOT_NULL:
                return new Ops.IsNull(value(ops.get(0), scope), call.getKind() == SqlKind.IS_NOT_NULL);
            case IS_TRUE:
            case IS_NOT_TRUE:
            case IS_FALSE:
            case IS_NOT_FALSE: {
                Ev b = bool(ops.get(0), scope);
                boolean wantTrue = call.getKind() == SqlKind.IS_TRUE || call.getKind() == SqlKind.IS_NOT_TRUE;
                Ev test = new Ops.Compare(Ops.Cmp.EQ, b, Ev.literal(SqlType.BOOLEAN, wantTrue));
                Ev known = new Ops.Case(
                        SqlType.BOOLEAN,
                        List.of(test),
                        List.of(Ev.literal(SqlType.BOOLEAN, true)),
                        Ev.literal(SqlType.BOOLEAN, false));
                return call.getKind() == SqlKind.IS_TRUE || call.getKind() == SqlKind.IS_FALSE
                        ? known
                        : new Ops.Not(known);
            }
            case LIKE:
                return like(call, name, scope);
            case IN:
            case NOT_IN:
                return in(call, scope);
            case BETWEEN: {
                if (name.contains("symmetric") && !name.contains("asymmetric")) {
                    throw error(call, "BETWEEN SYMMETRIC is not supported");
                }
                Ev lo = compare(Ops.Cmp.GE, ops.get(0), ops.get(1), scope, call);
                Ev hi = compare(Ops.Cmp.LE, ops.get(0), ops.get(2), scope, call);
                Ev both = new Ops.And(List.of(lo, hi));
                return name.startsWith("not") ? new Ops.Not(both) : both;
            }
            case PLUS:
            case MINUS:
            case TIMES:
            case DIVIDE:
            case MOD:
                return arithmetic(call, scope);
            case MINUS_PREFIX: {
                Ev e = value(ops.get(0), scope);
                if (!e.type.numeric()) {
                    throw error(call, "cannot negate a " + e.type);
                }
                return new Ops.Negate(e);
            }
            case PLUS_PREFIX: {
                Ev e = value(ops.get(0), scope);
                if (!e.type.numeric()) {
                    throw error(call, "unary + needs a number, got " + e.type);
                }
                return e;
            }
            case CAST:
            case SAFE_CAST:
                return cast(call, scope, call.getKind() == SqlKind.SAFE_CAST);
            case TRIM: {
                SqlTrimFunction.Flag flag = ((SqlLiteral) ops.get(0)).getValueAs(SqlTrimFunction.Flag.class);
                Ev chars = string(ops.get(1), scope);
                Ev s = string(ops.get(2), scope);
                return new Strings.Trim(
                        s, chars, flag != SqlTrimFunction.Flag.TRAILING, flag != SqlTrimFunction.Flag.LEADING);
            }
            case OVER:
            case FILTER:
            case WITHIN_GROUP:
            case EXISTS:
            case SCALAR_QUERY:
                throw planner.unsupported(call);
            default:
                break;
        }
        if (name.equals("||")) {
            return new Strings.Concat(List.of(string(ops.get(0), scope), string(ops.get(1), scope)), true);
        }
        if (call instanceof SqlBasicCall basic && basic.getFunctionQuantifier() != null) {
            throw error(call, "DISTINCT is supported in count() only");
        }
        return function(call, name, ops, scope);
    }

    private Ev function(SqlCall call, String name, List<SqlNode> ops, Planner.Scope scope) {
        switch (name) {
            case "lower", "upper", "lcase", "ucase" -> {
                arity(call, ops, 1, 1);
                return new Strings.Lower(string(ops.get(0), scope), name.equals("upper") || name.equals("ucase"));
            }
            case "length", "char_length", "character_length" -> {
                arity(call, ops, 1, 1);
                return new Strings.Length(string(ops.get(0), scope));
            }
            case "substr", "substring" -> {
                arity(call, ops, 2, 3);
                return new Strings.Substr(
                        string(ops.get(0), scope),
                        integer(ops.get(1), scope),
                        ops.size() > 2 ? integer(ops.get(2), scope) : null);
            }
            case "split_part" -> {
                arity(call, ops, 3, 3);
                return new Strings.SplitPart(
                        string(ops.get(0), scope), string(ops.get(1), scope), integer(ops.get(2), scope));
            }
            case "concat" -> {
                if (ops.isEmpty()) {
                    throw error(call, "concat() needs at least one argument");
                }
                List<Ev> args = new ArrayList<>();
                for (SqlNode o : ops) {
                    args.add(asText(value(o, scope), o));
                }
                return new Strings.Concat(args, false);
            }
            case "trim", "ltrim", "rtrim" -> {
                arity(call, ops, 1, 2);
                return new Strings.Trim(
                        string(ops.get(0), scope),
                        ops.size() > 1 ? string(ops.get(1), scope) : null,
                        !name.equals("rtrim"),
                        !name.equals("ltrim"));
            }
            case "replace" -> {
                arity(call, ops, 3, 3);
                return new Strings.Replace(
                        string(ops.get(0), scope), string(ops.get(1), scope), string(ops.get(2), scope));
            }
            case "starts_with", "ends_with", "contains" -> {
                arity(call, ops, 2, 2);
                return new Strings.Contains(
                        string(ops.get(0), scope),
                        string(ops.get(1), scope),
                        name.startsWith("starts") ? -1 : name.startsWith("ends") ? 1 : 0);
            }
            case "regexp_matches" -> {
                arity(call, ops, 2, 2);
                return new Regex.Matches(
                        string(ops.get(0), scope), search(ops.get(0), scope, pattern(ops.get(1), 0), false));
            }
            case "regexp_extract" -> {
                arity(call, ops, 2, 3);
                Pattern p = pattern(ops.get(1), 0);
                int group = 0;
                if (ops.size() > 2) {
                    Ev g = value(ops.get(2), scope);
                    if (!g.constant() || g.type != SqlType.BIGINT) {
                        throw error(ops.get(2), "the group of regexp_extract must be a whole number constant");
                    }
                    long v = g.lng(new Row());
                    if (v < 0 || v > p.groupCount()) {
                        throw error(ops.get(2), "the pattern has " + p.groupCount() + " groups, not " + v);
                    }
                    group = (int) v;
                }
                return new Regex.Extract(string(ops.get(0), scope), search(ops.get(0), scope, p, group > 0), group);
            }
            case "date_trunc" -> {
                arity(call, ops, 2, 2);
                String unit = constantText(ops.get(0), "the unit of date_trunc");
                Times.Unit u;
                try {
                    u = Times.Unit.valueOf(unit.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error(
                            ops.get(0),
                            "date_trunc unit '" + unit
                                    + "' is not supported: second, minute, hour, day, month or year");
                }
                return new Times.Trunc(u, timestamp(ops.get(1), scope));
            }
            case "time_bucket" -> {
                arity(call, ops, 2, 2);
                Ev width = value(ops.get(0), scope);
                if (width.type != SqlType.INTERVAL || !width.constant()) {
                    throw error(ops.get(0), "time_bucket needs a constant INTERVAL such as INTERVAL '5 minutes'");
                }
                long w = width.lng(new Row());
                if (w <= 0) {
                    throw error(ops.get(0), "time_bucket needs a positive interval");
                }
                return new Times.Bucket(w, timestamp(ops.get(1), scope));
            }
            case "coalesce", "ifnull" -> {
                if (ops.isEmpty()) {
                    throw error(call, name + "() needs arguments");
                }
                List<Ev> args = new ArrayList<>();
                for (SqlNode o : ops) {
                    args.add(value(o, scope));
                }
                SqlType t = common(args, call);
                return new Ops.Coalesce(t, widenAll(args, t, ops));
            }
            case "nullif" -> {
                arity(call, ops, 2, 2);
                Ev a = value(ops.get(0), scope);
                Ev eq = compare(Ops.Cmp.EQ, ops.get(0), ops.get(1), scope, call);
                return new Ops.Case(a.type, List.of(eq), List.of(Ev.literal(SqlType.NULL, null)), a);
            }
            case "abs" -> {
                arity(call, ops, 1, 1);
                Ev e = value(ops.get(0), scope);
                if (!e.type.numeric()) {
                    throw error(ops.get(0), "abs() needs a number, got " + e.type);
                }
                Ev negative = new Ops.Compare(Ops.Cmp.LT, e, Ev.literal(SqlType.BIGINT, 0L));
                return new Ops.Case(e.type, List.of(negative), List.of(new Ops.Negate(value(ops.get(0), scope))), e);
            }
            case "tokenize" -> throw error(call, "tokenize() gives a list of words: use unnest(tokenize(...))");
            default -> throw error(call, "unknown function " + name + "()");
        }
    }

    private void arity(SqlCall call, List<SqlNode> ops, int min, int max) {
        if (ops.size() < min || ops.size() > max) {
            String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
            String wanted = min == max ? String.valueOf(min) : min + " to " + max;
            throw error(call, name + "() takes " + wanted + " arguments, got " + ops.size());
        }
    }

    private String constantText(SqlNode n, String what) {
        if (n instanceof SqlCharStringLiteral lit) {
            return lit.getValueAs(String.class);
        }
        throw error(n, what + " must be a string constant");
    }

    /**
     * The search of {@code p} in {@code subject} that the query's other regexp_matches and
     * regexp_extract of the same expression in the same scope, for the same matches, share (see
     * {@link Regex.Shared}); {@code groups}: the caller reads a group other than the whole match.
     */
    private Regex.Shared search(SqlNode subject, Planner.Scope scope, Pattern p, boolean groups) {
        String key = Regex.Shared.key(p);
        for (Search s : searches) {
            if (s.scope == scope
                    && s.shared.key.equals(key)
                    && s.subject.equalsDeep(subject, Litmus.IGNORE)
                    && (!groups || s.shared.takeGroups(p))) {
                return s.shared;
            }
        }
        Regex.Shared shared = new Regex.Shared(p);
        if (groups) {
            shared.takeGroups(p);
        }
        searches.add(new Search(subject, scope, shared));
        return shared;
    }

    private record Search(SqlNode subject, Planner.Scope scope, Regex.Shared shared) {}

    private Pattern pattern(SqlNode n, int flags) {
        String regex = constantText(n, "a regular expression");
        var pos = n.getParserPosition();
        QueryException at = error(n, "");
        return Regex.compile(regex, flags, at.line(), at.column());
    }

    Ev value(SqlNode n, Planner.Scope scope) {
        return planner.compile(n, scope);
    }

    private Ev bool(SqlNode n, Planner.Scope scope) {
        Ev e = value(n, scope);
        if (e.type == SqlType.NULL) {
            return new Ops.Widen(e, SqlType.BOOLEAN);
        }
        if (e.type != SqlType.BOOLEAN) {
            throw error(n, "expected a BOOLEAN, got " + e.type + " in '" + planner.textOf(n) + "'");
        }
        return e;
    }

    private Ev string(SqlNode n, Planner.Scope scope) {
        Ev e = value(n, scope);
        if (e.type == SqlType.NULL) {
            return new Ops.Widen(e, SqlType.VARCHAR);
        }
        if (e.type != SqlType.VARCHAR) {
            throw error(n, "expected a VARCHAR, got " + e.type + " in '" + planner.textOf(n) + "' (use CAST)");
        }
        return e;
    }

    private Ev integer(SqlNode n, Planner.Scope scope) {
        Ev e = value(n, scope);
        if (e.type == SqlType.NULL) {
            return new Ops.Widen(e, SqlType.BIGINT);
        }
        if (e.type != SqlType.BIGINT) {
            throw error(n, "expected a whole number, got " + e.type + " in '" + planner.textOf(n) + "'");
        }
        return e;
    }

    private Ev timestamp(SqlNode n, Planner.Scope scope) {
        Ev e = value(n, scope);
        if (e.type == SqlType.VARCHAR && e.constant()) {
            return convertConstant(e, SqlType.TIMESTAMP, n);
        }
        if (e.type != SqlType.TIMESTAMP) {
            throw error(
                    n,
                    "expected a TIMESTAMP, got " + e.type + " in '" + planner.textOf(n)
                            + "' (use CAST(... AS TIMESTAMP))");
        }
        return e;
    }

    /** concat() takes any type, as text. */
    private Ev asText(Ev e, SqlNode at) {
        if (e.type == SqlType.VARCHAR) {
            return e;
        }
        if (e.type == SqlType.NULL) {
            return new Ops.Widen(e, SqlType.VARCHAR);
        }
        if (!Casts.allowed(e.type, SqlType.VARCHAR)) {
            throw error(at, "cannot turn a " + e.type + " into text");
        }
        QueryException p = error(at, "");
        return new Casts.Cast(e, SqlType.VARCHAR, false, false, p.line(), p.column());
    }

    /** A VARCHAR constant converted at compile time (as DuckDB types string literals by their context). */
    private Ev convertConstant(Ev e, SqlType to, SqlNode at) {
        QueryException p = error(at, "");
        Ev cast = new Casts.Cast(e, to, false, false, p.line(), p.column());
        return Ev.literal(to, cast.value(new Row()));
    }

    private Ev compare(Ops.Cmp op, SqlCall call, Planner.Scope scope) {
        return compare(op, call.operand(0), call.operand(1), scope, call);
    }

    private Ev compare(Ops.Cmp op, SqlNode ln, SqlNode rn, Planner.Scope scope, SqlNode at) {
        Ev l = value(ln, scope);
        Ev r = value(rn, scope);
        if (l.type == SqlType.NULL && r.type == SqlType.NULL) {
            return new Ops.Widen(Ev.literal(SqlType.NULL, null), SqlType.BOOLEAN);
        }
        if (l.type == SqlType.NULL) {
            l = new Ops.Widen(l, r.type);
        } else if (r.type == SqlType.NULL) {
            r = new Ops.Widen(r, l.type);
        } else if (l.type != r.type) {
            if (l.type == SqlType.VARCHAR && l.constant() && r.type.orderable()) {
                l = convertConstant(l, r.type, ln);
            } else if (r.type == SqlType.VARCHAR && r.constant() && l.type.orderable()) {
                r = convertConstant(r, l.type, rn);
            } else if (!(l.type.numeric() && r.type.numeric())) {
                throw error(
                        at,
                        "cannot compare " + l.type + " with " + r.type + " in '" + planner.textOf(at)
                                + "': an explicit CAST is required");
            }
        }
        if (!l.type.orderable()) {
            throw error(at, "cannot compare values of type " + l.type);
        }
        return new Ops.Compare(op, l, r);
    }

    private Ev like(SqlCall call, String name, Planner.Scope scope) {
        if (call.operandCount() > 2) {
            throw error(call.operand(2), "LIKE ... ESCAPE is not supported");
        }
        if (name.contains("similar")) {
            throw error(call, "SIMILAR TO is not supported: use regexp_matches()");
        }
        Ev s = string(call.operand(0), scope);
        String pattern = constantText(call.operand(1), "the pattern of " + name.toUpperCase(Locale.ROOT));
        QueryException p = error(call, "");
        Ev like = new Regex.Like(s, pattern, name.contains("ilike"), p.line(), p.column());
        return name.startsWith("not") ? new Ops.Not(like) : like;
    }

    private Ev in(SqlCall call, Planner.Scope scope) {
        SqlNode list = call.operand(1);
        if (!(list instanceof SqlNodeList items)) {
            throw error(list, "IN (subquery) is not supported: list the values");
        }
        List<Ev> tests = new ArrayList<>();
        for (SqlNode item : items) {
            tests.add(compare(Ops.Cmp.EQ, call.operand(0), item, scope, call));
        }
        Ev any = new Ops.Or(tests);
        return call.getKind() == SqlKind.NOT_IN ? new Ops.Not(any) : any;
    }

    private Ev arithmetic(SqlCall call, Planner.Scope scope) {
        Ev l = value(call.operand(0), scope);
        Ev r = value(call.operand(1), scope);
        SqlKind k = call.getKind();
        if (l.type == SqlType.TIMESTAMP && r.type == SqlType.INTERVAL && (k == SqlKind.PLUS || k == SqlKind.MINUS)) {
            return new Times.Shift(l, r, k == SqlKind.PLUS ? 1 : -1);
        }
        if (l.type == SqlType.INTERVAL && r.type == SqlType.TIMESTAMP && k == SqlKind.PLUS) {
            return new Times.Shift(r, l, 1);
        }
        if (l.type == SqlType.NULL) {
            l = new Ops.Widen(l, r.type == SqlType.NULL ? SqlType.BIGINT : r.type);
        }
        if (r.type == SqlType.NULL) {
            r = new Ops.Widen(r, l.type);
        }
        if (!l.type.numeric() || !r.type.numeric()) {
            throw error(
                    call,
                    "cannot apply '" + call.getOperator().getName() + "' to " + l.type + " and " + r.type + " in '"
                            + planner.textOf(call) + "'");
        }
        Ops.Arith op =
                switch (k) {
                    case PLUS -> Ops.Arith.ADD;
                    case MINUS -> Ops.Arith.SUB;
                    case TIMES -> Ops.Arith.MUL;
                    case DIVIDE -> Ops.Arith.DIV;
                    default -> Ops.Arith.MOD;
                };
        if (op == Ops.Arith.DIV || l.type == SqlType.DOUBLE || r.type == SqlType.DOUBLE) {
            return new Ops.DoubleArith(op, l, r);
        }
        return new Ops.LongArith(op, l, r, SqlType.BIGINT);
    }

    private Ev cast(SqlCall call, Planner.Scope scope, boolean orNull) {
        Ev e = value(call.operand(0), scope);
        SqlDataTypeSpec spec = (SqlDataTypeSpec) call.operand(1);
        String typeName = spec.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        boolean int32 = false;
        SqlType to =
                switch (typeName) {
                    case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR" -> SqlType.VARCHAR;
                    case "BIGINT", "INT8", "LONG" -> SqlType.BIGINT;
                    case "INTEGER", "INT", "INT4", "SMALLINT", "TINYINT" -> {
                        int32 = true;
                        yield SqlType.BIGINT;
                    }
                    case "DOUBLE", "FLOAT", "FLOAT8", "REAL", "FLOAT4" -> SqlType.DOUBLE;
                    case "BOOLEAN", "BOOL" -> SqlType.BOOLEAN;
                    case "TIMESTAMP", "DATETIME" -> SqlType.TIMESTAMP;
                    default ->
                        throw error(
                                spec,
                                "type " + typeName
                                        + " is not supported: VARCHAR, BIGINT, INTEGER, DOUBLE, BOOLEAN or TIMESTAMP");
                };
        if (!Casts.allowed(e.type, to)) {
            throw error(call, "cannot cast " + e.type + " to " + typeName);
        }
        QueryException p = error(call, "");
        Ev cast = new Casts.Cast(e, to, int32, orNull, p.line(), p.column());
        if (e.constant()) {
            return Ev.literal(to, cast.value(new Row()));
        }
        return cast;
    }

    private Ev caseWhen(SqlCase c, Planner.Scope scope) {
        List<Ev> conditions = new ArrayList<>();
        List<Ev> values = new ArrayList<>();
        List<SqlNode> valueNodes = new ArrayList<>();
        SqlNodeList whens = c.getWhenOperands();
        SqlNodeList thens = c.getThenOperands();
        for (int i = 0; i < whens.size(); i++) {
            SqlNode w = whens.get(i);
            if (c.getValueOperand() != null) {
                conditions.add(compare(Ops.Cmp.EQ, c.getValueOperand(), w, scope, w));
            } else {
                conditions.add(bool(w, scope));
            }
            values.add(value(thens.get(i), scope));
            valueNodes.add(thens.get(i));
        }
        Ev otherwise = c.getElseOperand() == null ? Ev.literal(SqlType.NULL, null) : value(c.getElseOperand(), scope);
        values.add(otherwise);
        valueNodes.add(c.getElseOperand() == null ? c : c.getElseOperand());
        SqlType t = common(values, c);
        List<Ev> widened = widenAll(values, t, valueNodes);
        Ev last = widened.remove(widened.size() - 1);
        return new Ops.Case(t, conditions, widened, last);
    }

    /** The type all of {@code values} can take: theirs, DOUBLE for mixed numbers; NULLs take any. */
    private SqlType common(List<Ev> values, SqlNode at) {
        SqlType t = SqlType.NULL;
        for (Ev v : values) {
            if (v.type == SqlType.NULL || v.type == t) {
                continue;
            }
            if (t == SqlType.NULL) {
                t = v.type;
            } else if (t.numeric() && v.type.numeric()) {
                t = SqlType.DOUBLE;
            } else {
                throw error(
                        at,
                        "values of types " + t + " and " + v.type + " cannot be mixed in '" + planner.textOf(at) + "'");
            }
        }
        return t == SqlType.NULL ? SqlType.VARCHAR : t;
    }

    private List<Ev> widenAll(List<Ev> values, SqlType t, List<SqlNode> at) {
        List<Ev> out = new ArrayList<>();
        for (Ev v : values) {
            out.add(v.type == t ? v : new Ops.Widen(v, t));
        }
        return out;
    }

    /** An aggregate call's spec; its argument is compiled per record. */
    Aggregates.Spec aggregate(SqlCall call, Planner.Scope record) {
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        List<SqlNode> ops = call.getOperandList();
        boolean distinct = call instanceof SqlBasicCall b
                && b.getFunctionQuantifier() != null
                && b.getFunctionQuantifier().getValue().toString().equals("DISTINCT");
        for (SqlNode o : ops) {
            if (planner.hasAggregate(o)) {
                throw error(o, "aggregate functions cannot be nested");
            }
        }
        if (distinct && !name.equals("count")) {
            throw error(call, "DISTINCT is supported in count() only (approx_count_distinct() estimates)");
        }
        if (name.equals("count")) {
            if (ops.size() == 1 && ops.get(0) instanceof SqlIdentifier id && id.isStar()) {
                if (distinct) {
                    throw error(call, "count(DISTINCT *) is not supported");
                }
                return new Aggregates.Spec(Aggregates.Kind.COUNT_STAR, null, SqlType.BIGINT, 0);
            }
            if (ops.isEmpty()) {
                return new Aggregates.Spec(Aggregates.Kind.COUNT_STAR, null, SqlType.BIGINT, 0);
            }
            arity(call, ops, 1, 1);
            Ev arg = value(ops.get(0), record);
            if (distinct && !arg.type.orderable()) {
                throw error(ops.get(0), "count(DISTINCT) of a " + arg.type + " is not supported");
            }
            return new Aggregates.Spec(
                    distinct ? Aggregates.Kind.COUNT_DISTINCT : Aggregates.Kind.COUNT, arg, SqlType.BIGINT, 0);
        }
        switch (name) {
            case "sum", "avg" -> {
                arity(call, ops, 1, 1);
                Ev arg = value(ops.get(0), record);
                if (arg.type == SqlType.NULL) {
                    arg = new Ops.Widen(arg, SqlType.BIGINT);
                }
                if (!arg.type.numeric()) {
                    throw error(ops.get(0), name + "() needs a number, got " + arg.type + " (use CAST)");
                }
                SqlType result = name.equals("avg") ? SqlType.DOUBLE : arg.type;
                return new Aggregates.Spec(
                        name.equals("sum") ? Aggregates.Kind.SUM : Aggregates.Kind.AVG, arg, result, 0);
            }
            case "min", "max" -> {
                arity(call, ops, 1, 1);
                Ev arg = value(ops.get(0), record);
                if (arg.type == SqlType.NULL) {
                    arg = new Ops.Widen(arg, SqlType.VARCHAR);
                }
                if (!arg.type.orderable()) {
                    throw error(ops.get(0), name + "() of a " + arg.type + " is not supported");
                }
                return new Aggregates.Spec(
                        name.equals("min") ? Aggregates.Kind.MIN : Aggregates.Kind.MAX, arg, arg.type, 0);
            }
            case "approx_count_distinct" -> {
                arity(call, ops, 1, 1);
                Ev arg = value(ops.get(0), record);
                if (!arg.type.orderable()) {
                    throw error(ops.get(0), "approx_count_distinct() of a " + arg.type + " is not supported");
                }
                return new Aggregates.Spec(Aggregates.Kind.APPROX_COUNT_DISTINCT, arg, SqlType.BIGINT, 0);
            }
            case "approx_quantile" -> {
                arity(call, ops, 2, 2);
                Ev arg = value(ops.get(0), record);
                if (!arg.type.numeric() && arg.type != SqlType.TIMESTAMP) {
                    throw error(
                            ops.get(0),
                            "approx_quantile() needs a number or TIMESTAMP, got " + arg.type + " (use CAST)");
                }
                if (!(ops.get(1) instanceof SqlNumericLiteral q)
                        || q.bigDecimalValue().doubleValue() < 0
                        || q.bigDecimalValue().doubleValue() > 1) {
                    throw error(ops.get(1), "the quantile of approx_quantile() must be a number constant from 0 to 1");
                }
                return new Aggregates.Spec(
                        Aggregates.Kind.APPROX_QUANTILE,
                        arg,
                        arg.type,
                        q.bigDecimalValue().doubleValue());
            }
            default -> throw error(call, "unknown aggregate " + name + "()");
        }
    }
}
