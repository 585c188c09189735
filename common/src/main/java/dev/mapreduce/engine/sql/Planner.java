package dev.mapreduce.engine.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlSelectKeyword;
import org.apache.calcite.util.Litmus;

/**
 * Validates a parsed query against the table {@code logs} and compiles it: names resolved
 * (unquoted ones case-insensitively), types checked and derived with DuckDB's rules, aggregates
 * collected, and every expression turned into an {@link Ev}. The shapes it accepts:
 *
 * <pre>
 * SELECT [DISTINCT] items FROM logs [alias] [WHERE ...] [GROUP BY ...] [HAVING ...] [ORDER BY ...] [LIMIT n [OFFSET m]]
 * SELECT ... FROM (SELECT [unnest(tokenize(x)) AS w,] items FROM logs [WHERE ...]) [alias] ...
 * </pre>
 *
 * Anything else is a {@link QueryException} naming the construct and its position.
 */
final class Planner {

    private static final String TABLE = "logs";

    private final SqlText text;
    private final QuerySchema schema;
    private final Functions functions;
    private final List<String> fields = new ArrayList<>();
    private final Map<String, Integer> slots = new LinkedHashMap<>();
    private final CompiledQuery plan = new CompiledQuery();

    /** The subquery in FROM: its columns by name (null marks the unnest column), or null. */
    private Map<String, SqlNode> derived;

    private String derivedUnnest;
    private SqlNode derivedUnnestArg;
    private String tableAlias;

    Planner(SqlText text, QuerySchema schema) {
        this.text = text;
        this.schema = schema;
        this.functions = new Functions(this);
    }

    QueryException error(SqlNode at, String message) {
        if (at == null || at.getParserPosition().getLineNum() <= 0) {
            return new QueryException(message, 0, 0);
        }
        int[] p = text.position(
                at.getParserPosition().getLineNum(), at.getParserPosition().getColumnNum());
        return new QueryException(message, p[0], p[1]);
    }

    /** The user's text of {@code node}, for error messages and column names. */
    String textOf(SqlNode node) {
        var pos = node.getParserPosition();
        if (pos.getLineNum() <= 0) {
            return node.toString();
        }
        int[] start = text.position(pos.getLineNum(), pos.getColumnNum());
        int[] end = text.position(pos.getEndLineNum(), pos.getEndColumnNum());
        String original = text.original();
        int s = offset(original, start);
        int e = Math.min(original.length(), offset(original, end) + 1);
        return s < e ? original.substring(s, e) : node.toString();
    }

    private static int offset(String s, int[] lineColumn) {
        int line = 1;
        int i = 0;
        while (i < s.length() && line < lineColumn[0]) {
            if (s.charAt(i++) == '\n') {
                line++;
            }
        }
        return Math.min(s.length(), i + lineColumn[1] - 1);
    }

    CompiledQuery plan(SqlNode root) {
        SqlSelect select;
        SqlNodeList orderList = null;
        SqlNode offset = null;
        SqlNode fetch = null;
        if (root instanceof SqlOrderBy ob) {
            if (!(ob.query instanceof SqlSelect s)) {
                throw unsupported(ob.query);
            }
            select = s;
            orderList = ob.orderList;
            offset = ob.offset;
            fetch = ob.fetch;
        } else if (root instanceof SqlSelect s) {
            select = s;
        } else {
            throw unsupported(root);
        }
        if (select.getOrderList() != null && select.getOrderList().size() > 0) {
            orderList = select.getOrderList();
            offset = select.getOffset();
            fetch = select.getFetch();
        }
        checkClauses(select);
        from(select.getFrom());
        plan.limit = fetch == null ? -1 : count(fetch, "LIMIT");
        plan.offset = offset == null ? 0 : count(offset, "OFFSET");

        List<SqlNode> items = selectItems(select.getSelectList());
        List<String> names = new ArrayList<>();
        List<SqlNode> exprs = new ArrayList<>();
        for (SqlNode item : items) {
            SqlNode expr = item;
            String name = null;
            if (item.getKind() == SqlKind.AS) {
                SqlCall as = (SqlCall) item;
                expr = as.operand(0);
                name = ((SqlIdentifier) as.operand(1)).getSimple();
            }
            if (name == null) {
                name = expr instanceof SqlIdentifier id && !id.isStar() ? last(id) : textOf(expr);
            }
            names.add(name);
            exprs.add(expr);
        }
        RecordScope record = new RecordScope();
        Ev where = select.getWhere() == null ? null : bool(select.getWhere(), record, "WHERE");
        if (derived != null) {
            plan.outerFilter = where;
        } else {
            plan.filter = where;
        }
        boolean aggregated = select.getGroup() != null
                || select.getHaving() != null
                || select.isDistinct()
                || exprs.stream().anyMatch(this::hasAggregate)
                || (orderList != null && orderList.stream().anyMatch(this::hasAggregate));
        if (aggregated) {
            planAggregate(select, exprs, names, orderList, record);
        } else {
            planProjection(exprs, names, orderList, record);
        }
        plan.fields = List.copyOf(fields);
        plan.names = names.toArray(new String[0]);
        plan.types = new SqlType[plan.outputs.length];
        for (int i = 0; i < plan.outputs.length; i++) {
            plan.types[i] = plan.outputs[i].type;
            if (plan.types[i] == SqlType.LIST) {
                throw error(exprs.get(i), "tokenize() gives a list of words: select unnest(tokenize(...))");
            }
            if (plan.types[i] == SqlType.INTERVAL) {
                throw error(exprs.get(i), "an INTERVAL cannot be a result column");
            }
        }
        return plan;
    }

    private void checkClauses(SqlSelect select) {
        if (select.getWindowList() != null && select.getWindowList().size() > 0) {
            throw error(select.getWindowList(), "WINDOW is not supported");
        }
        if (select.getQualify() != null) {
            throw error(select.getQualify(), "QUALIFY is not supported");
        }
        if (select.getHints() != null && select.getHints().size() > 0) {
            throw error(select.getHints(), "query hints are not supported");
        }
        SqlNodeList keywords = (SqlNodeList) select.getOperandList().get(0);
        if (keywords != null) {
            for (SqlNode k : keywords) {
                if (k instanceof SqlLiteral l
                        && l.getValue() != SqlSelectKeyword.DISTINCT
                        && l.getValue() != SqlSelectKeyword.ALL) {
                    throw error(k, "SELECT " + l.getValue() + " is not supported");
                }
            }
        }
        if (select.getFrom() == null) {
            throw error(select, "a query needs FROM logs");
        }
    }

    private long count(SqlNode n, String clause) {
        if (n instanceof SqlNumericLiteral lit && lit.isInteger()) {
            long v = lit.bigDecimalValue().longValue();
            if (v >= 0) {
                return v;
            }
        }
        throw error(n, clause + " takes a whole number that is not negative");
    }

    private void from(SqlNode from) {
        SqlNode source = from;
        if (from.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) from;
            if (as.operandCount() > 2) {
                throw error(as.operand(2), "column aliases on a table are not supported");
            }
            source = as.operand(0);
            tableAlias = ((SqlIdentifier) as.operand(1)).getSimple();
        }
        if (source instanceof SqlIdentifier id) {
            if (id.names.size() != 1 || !id.getSimple().equalsIgnoreCase(TABLE)) {
                throw error(id, "unknown table '" + id + "'; the table is logs");
            }
            return;
        }
        if (source instanceof SqlSelect inner) {
            subquery(inner);
            return;
        }
        if (source.getKind() == SqlKind.JOIN) {
            throw error(source, "JOIN is not supported: a query reads the one table logs");
        }
        if (source instanceof SqlOrderBy ob) {
            throw error(ob, "ORDER BY and LIMIT in a subquery are not supported");
        }
        throw unsupported(source);
    }

    private void subquery(SqlSelect inner) {
        checkClauses(inner);
        if (inner.getGroup() != null || inner.getHaving() != null || inner.isDistinct()) {
            throw error(
                    inner,
                    "a subquery in FROM may not aggregate (GROUP BY, HAVING, DISTINCT): aggregate in the outer query");
        }
        if (inner.getOrderList() != null && inner.getOrderList().size() > 0) {
            throw error(inner.getOrderList(), "ORDER BY and LIMIT in a subquery are not supported");
        }
        SqlNode from = inner.getFrom();
        SqlNode table = from.getKind() == SqlKind.AS ? ((SqlCall) from).operand(0) : from;
        if (!(table instanceof SqlIdentifier id)
                || id.names.size() != 1
                || !id.getSimple().equalsIgnoreCase(TABLE)) {
            throw error(table, "a subquery in FROM must read logs (one level of subquery)");
        }
        derived = new LinkedHashMap<>();
        RecordScope innerScope = innerScopeMarker;
        for (SqlNode item : inner.getSelectList()) {
            SqlNode expr = item;
            String name;
            if (item.getKind() == SqlKind.AS) {
                expr = ((SqlCall) item).operand(0);
                name = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
            } else if (item instanceof SqlIdentifier idItem && !idItem.isStar()) {
                name = last(idItem);
            } else if (item instanceof SqlIdentifier idItem && idItem.isStar()) {
                for (QuerySchema.Column c : schema.columns()) {
                    derived.put(c.name(), new SqlIdentifier(c.name(), item.getParserPosition()));
                }
                continue;
            } else {
                name = textOf(item);
            }
            if (hasAggregate(expr)) {
                throw error(expr, "a subquery in FROM may not aggregate: aggregate in the outer query");
            }
            if (isUnnest(expr)) {
                if (derivedUnnest != null) {
                    throw error(expr, "only one unnest() per query is supported");
                }
                derivedUnnest = name;
                derivedUnnestArg = unnestArgument((SqlCall) expr);
                derived.put(name, null);
            } else {
                derived.put(name, expr);
            }
        }
        if (inner.getWhere() != null) {
            plan.filter = bool(inner.getWhere(), innerScope, "WHERE");
        }
        if (derivedUnnest != null) {
            plan.unnest = new Tokenize(compile(derivedUnnestArg, innerScope));
        }
    }

    boolean isUnnest(SqlNode n) {
        return n instanceof SqlBasicCall c && c.getOperator().getName().equalsIgnoreCase("unnest");
    }

    private SqlNode unnestArgument(SqlCall unnest) {
        if (unnest.operandCount() != 1
                || !(unnest.operand(0) instanceof SqlBasicCall arg)
                || !arg.getOperator().getName().equalsIgnoreCase("tokenize")
                || arg.operandCount() != 1) {
            throw error(unnest, "unnest() is supported over tokenize(text) only");
        }
        return arg.operand(0);
    }

    private List<SqlNode> selectItems(SqlNodeList list) {
        List<SqlNode> items = new ArrayList<>();
        for (SqlNode item : list) {
            if (item instanceof SqlIdentifier id && id.isStar()) {
                if (derived != null) {
                    derived.keySet().forEach(n -> items.add(new SqlIdentifier(n, item.getParserPosition())));
                } else {
                    schema.columns().forEach(c -> items.add(new SqlIdentifier(c.name(), item.getParserPosition())));
                }
            } else {
                items.add(item);
            }
        }
        return items;
    }

    static String last(SqlIdentifier id) {
        return id.names.get(id.names.size() - 1);
    }

    private void planProjection(List<SqlNode> exprs, List<String> names, SqlNodeList orderList, RecordScope record) {
        plan.projection = true;
        List<Ev> keys = new ArrayList<>();
        List<SqlNode> keyNodes = new ArrayList<>();
        for (SqlNode e : exprs) {
            if (isUnnest(e)) {
                if (derived != null || plan.unnest != null) {
                    throw error(e, "only one unnest() per query is supported");
                }
                plan.unnest = new Tokenize(compile(unnestArgument((SqlCall) e), record));
                keys.add(new Ev.Unnested());
            } else {
                keys.add(compile(e, record));
            }
            keyNodes.add(e);
        }
        int outputs = keys.size();
        List<Ev> order = new ArrayList<>();
        List<Boolean> desc = new ArrayList<>();
        List<Boolean> nullsFirst = new ArrayList<>();
        if (orderList != null) {
            for (SqlNode item : orderList) {
                SqlNode e = orderItem(item, desc, nullsFirst);
                int k = outputIndex(e, names, exprs);
                if (k < 0) {
                    for (int i = 0; i < keyNodes.size(); i++) {
                        if (keyNodes.get(i).equalsDeep(e, Litmus.IGNORE)) {
                            k = i;
                        }
                    }
                }
                if (k < 0) {
                    keys.add(compile(e, record));
                    keyNodes.add(e);
                    k = keys.size() - 1;
                }
                order.add(new Ev.Value(k, keys.get(k).type));
            }
        }
        finishKeys(keys);
        List<Aggregates.Spec> specs = List.of(new Aggregates.Spec(Aggregates.Kind.COUNT_STAR, null, SqlType.BIGINT, 0));
        plan.keyCodec = new KeyCodec(keys.size(), false);
        plan.aggregates = new Aggregates(specs, plan.keyCodec);
        plan.distinct = new Aggregates.Spec[0];
        plan.outputs = new Ev[outputs];
        for (int i = 0; i < outputs; i++) {
            plan.outputs[i] = new Ev.Value(i, keys.get(i).type);
        }
        finishOrder(order, desc, nullsFirst);
    }

    private void finishKeys(List<Ev> keys) {
        plan.keys = keys.toArray(new Ev[0]);
        plan.keyTypes = new SqlType[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            plan.keyTypes[i] = keys.get(i).type;
            if (keys.get(i).type == SqlType.LIST) {
                throw new QueryException("tokenize() gives a list of words: use unnest(tokenize(...))", 0, 0);
            }
        }
    }

    private void finishOrder(List<Ev> order, List<Boolean> desc, List<Boolean> nullsFirst) {
        plan.orderBy = order.toArray(new Ev[0]);
        plan.descending = new boolean[order.size()];
        plan.nullsFirst = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            plan.descending[i] = desc.get(i);
            plan.nullsFirst[i] = nullsFirst.get(i);
        }
    }

    /** Unwraps DESC / NULLS FIRST / NULLS LAST; DuckDB's default is ascending, NULLs last. */
    private SqlNode orderItem(SqlNode item, List<Boolean> desc, List<Boolean> nullsFirst) {
        boolean d = false;
        boolean nf = false;
        while (true) {
            if (item.getKind() == SqlKind.DESCENDING) {
                d = true;
            } else if (item.getKind() == SqlKind.NULLS_FIRST) {
                nf = true;
            } else if (item.getKind() != SqlKind.NULLS_LAST) {
                break;
            }
            item = ((SqlCall) item).operand(0);
        }
        desc.add(d);
        nullsFirst.add(nf);
        return item;
    }

    /** The select item an ORDER BY or GROUP BY item names by position or alias, or -1. */
    private int outputIndex(SqlNode e, List<String> names, List<SqlNode> exprs) {
        if (e instanceof SqlNumericLiteral lit) {
            if (!lit.isInteger() || lit.intValue(false) < 1 || lit.intValue(false) > exprs.size()) {
                throw error(e, "position " + lit + " is not in the select list (1 to " + exprs.size() + ")");
            }
            return lit.intValue(false) - 1;
        }
        if (e instanceof SqlIdentifier id && id.names.size() == 1) {
            String n = id.getSimple();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(n) && !isColumn(n)) {
                    return i;
                }
            }
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(n)
                        && exprs.get(i) instanceof SqlIdentifier same
                        && same.equalsDeep(id, Litmus.IGNORE)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether {@code name} is a declared column of the table or subquery read. */
    private boolean isColumn(String name) {
        if (derived != null) {
            return derived.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
        }
        return schema.columns().stream().anyMatch(c -> c.name().equalsIgnoreCase(name));
    }

    private void planAggregate(
            SqlSelect select, List<SqlNode> exprs, List<String> names, SqlNodeList orderList, RecordScope record) {
        for (SqlNode e : exprs) {
            if (isUnnest(e)) {
                throw error(
                        e,
                        "unnest() in a query that aggregates: unnest in a subquery, as DuckDB requires:"
                                + " SELECT w, count(*) FROM (SELECT unnest(tokenize(message)) AS w FROM logs) GROUP BY w");
            }
        }
        List<SqlNode> keyNodes = new ArrayList<>();
        List<Ev> keys = new ArrayList<>();
        if (select.getGroup() != null) {
            for (SqlNode g : select.getGroup()) {
                if (g.getKind() == SqlKind.ROLLUP
                        || g.getKind() == SqlKind.CUBE
                        || g.getKind() == SqlKind.GROUPING_SETS) {
                    throw error(g, g.getKind() + " is not supported");
                }
                if (g instanceof SqlNodeList) {
                    throw error(g, "GROUP BY () is not supported");
                }
                int k = outputIndex(g, names, exprs);
                SqlNode node = k >= 0 ? exprs.get(k) : g;
                if (hasAggregate(node)) {
                    throw error(g, "GROUP BY may not hold an aggregate function");
                }
                keyNodes.add(node);
                keys.add(compile(node, record));
            }
        } else if (select.isDistinct()) {
            for (SqlNode e : exprs) {
                if (hasAggregate(e)) {
                    throw error(e, "SELECT DISTINCT with aggregate functions is not supported");
                }
                keyNodes.add(e);
                keys.add(compile(e, record));
            }
        }
        finishKeys(keys);
        plan.global = keys.isEmpty();
        PostScope post = new PostScope(keyNodes, keys, record);
        List<Ev> outputs = new ArrayList<>();
        for (SqlNode e : exprs) {
            outputs.add(compile(e, post));
        }
        if (select.getHaving() != null) {
            plan.having = bool(select.getHaving(), post, "HAVING");
        }
        List<Ev> order = new ArrayList<>();
        List<Boolean> desc = new ArrayList<>();
        List<Boolean> nullsFirst = new ArrayList<>();
        if (orderList != null) {
            for (SqlNode item : orderList) {
                SqlNode e = orderItem(item, desc, nullsFirst);
                int k = outputIndex(e, names, exprs);
                order.add(compile(k >= 0 ? exprs.get(k) : e, post));
            }
        }
        List<Aggregates.Spec> distinct = new ArrayList<>();
        for (Aggregates.Spec s : post.specs) {
            if (s.kind == Aggregates.Kind.COUNT_DISTINCT) {
                distinct.add(s);
            }
        }
        plan.keyCodec = new KeyCodec(keys.size(), !distinct.isEmpty());
        plan.aggregates = new Aggregates(post.specs, plan.keyCodec);
        plan.distinct = distinct.toArray(new Aggregates.Spec[0]);
        plan.outputs = outputs.toArray(new Ev[0]);
        finishOrder(order, desc, nullsFirst);
    }

    private Ev bool(SqlNode n, Scope scope, String clause) {
        Ev e = compile(n, scope);
        if (e.type != SqlType.BOOLEAN && e.type != SqlType.NULL) {
            throw error(n, clause + " needs a BOOLEAN condition, got " + e.type);
        }
        return e.type == SqlType.NULL ? new Ops.Widen(e, SqlType.BOOLEAN) : e;
    }

    /** Whether {@code n} calls an aggregate function (not looking into subqueries). */
    boolean hasAggregate(SqlNode n) {
        if (n instanceof SqlCall c && !(n instanceof SqlSelect)) {
            if (Functions.isAggregate(c)) {
                return true;
            }
            for (SqlNode o : c.getOperandList()) {
                if (o != null && hasAggregate(o)) {
                    return true;
                }
            }
        } else if (n instanceof SqlNodeList l) {
            for (SqlNode o : l) {
                if (o != null && hasAggregate(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    QueryException unsupported(SqlNode n) {
        String what =
                switch (n.getKind()) {
                    case UNION, INTERSECT, EXCEPT -> n.getKind() + " (set operations)";
                    case WITH -> "WITH (common table expressions)";
                    case JOIN -> "JOIN";
                    case SELECT -> "a subquery here";
                    case VALUES -> "VALUES";
                    case OVER -> "window functions (OVER)";
                    case EXISTS -> "EXISTS";
                    case INSERT, UPDATE, DELETE, MERGE -> n.getKind() + ": queries only read";
                    default ->
                        n instanceof SqlCall c
                                ? "'" + c.getOperator().getName() + "'"
                                : n.getKind().toString();
                };
        return error(n, what + " is not supported");
    }

    Ev compile(SqlNode n, Scope scope) {
        Ev matched = scope.match(n);
        if (matched != null) {
            return matched;
        }
        if (n instanceof SqlIdentifier id) {
            if (id.isStar()) {
                throw error(id, "* is only allowed as SELECT * or count(*)");
            }
            return scope.identifier(id);
        }
        if (n instanceof SqlLiteral lit) {
            return functions.literal(lit);
        }
        if (n instanceof SqlCall call) {
            if (Functions.isAggregate(call)) {
                return scope.aggregate(call);
            }
            if (isUnnest(call)) {
                throw error(call, "unnest() is supported as a whole select item only");
            }
            return functions.call(call, scope);
        }
        throw unsupported(n);
    }

    /** How names and aggregates resolve where an expression is compiled. */
    interface Scope {
        /** The evaluator for {@code n} as a whole if the scope knows it (a group key), else null. */
        Ev match(SqlNode n);

        Ev identifier(SqlIdentifier id);

        Ev aggregate(SqlCall call);
    }

    /** Per record: names are columns of logs, or of the subquery in FROM. */
    final class RecordScope implements Scope {

        @Override
        public Ev match(SqlNode n) {
            return null;
        }

        @Override
        public Ev identifier(SqlIdentifier id) {
            String name = last(id);
            if (id.names.size() > 2) {
                throw error(id, "unknown column '" + id + "'");
            }
            if (id.names.size() == 2) {
                String qualifier = id.names.get(0);
                boolean known = qualifier.equalsIgnoreCase(tableAlias == null ? TABLE : tableAlias)
                        || (derived == null && tableAlias == null && qualifier.equalsIgnoreCase(TABLE));
                if (!known) {
                    throw error(id, "unknown table '" + qualifier + "' in '" + id + "'");
                }
            }
            if (derived != null && this != innerScopeMarker) {
                for (Map.Entry<String, SqlNode> c : derived.entrySet()) {
                    if (c.getKey().equalsIgnoreCase(name)) {
                        if (c.getValue() == null) {
                            return new Ev.Unnested();
                        }
                        return compileInner(c.getValue());
                    }
                }
                throw error(
                        id, "unknown column '" + name + "'; the subquery has " + String.join(", ", derived.keySet()));
            }
            return field(id, name);
        }

        @Override
        public Ev aggregate(SqlCall call) {
            throw error(
                    call,
                    "aggregate function " + call.getOperator().getName().toLowerCase(Locale.ROOT)
                            + "() is not allowed here (WHERE, GROUP BY, or inside another aggregate)");
        }
    }

    private final RecordScope innerScopeMarker = new RecordScope();

    private Ev compileInner(SqlNode n) {
        return compile(n, innerScopeMarker);
    }

    private Ev field(SqlIdentifier id, String name) {
        var column = schema.column(name);
        if (column.isEmpty() && !schema.acceptsAnyField()) {
            throw error(
                    id,
                    "unknown column '" + name + "'; logs has "
                            + String.join(
                                    ", ",
                                    schema.columns().stream()
                                            .map(QuerySchema.Column::name)
                                            .toList()));
        }
        String fieldName = column.map(QuerySchema.Column::name).orElse(name);
        SqlType type = column.map(QuerySchema.Column::type).orElse(SqlType.VARCHAR);
        int slot = slots.computeIfAbsent(fieldName, f -> {
            fields.add(f);
            return fields.size() - 1;
        });
        return switch (type) {
            case TIMESTAMP -> new Times.Field(slot, schema.timestampParser(fieldName));
            case VARCHAR -> new Ev.Field(slot);
            default -> functions.typedField(slot, type);
        };
    }

    /** After aggregation: group keys and aggregate calls are values of the group; other names are errors. */
    final class PostScope implements Scope {
        final List<SqlNode> keyNodes;
        final List<Ev> keys;
        final RecordScope record;
        final List<Aggregates.Spec> specs = new ArrayList<>();
        final List<SqlNode> specNodes = new ArrayList<>();

        PostScope(List<SqlNode> keyNodes, List<Ev> keys, RecordScope record) {
            this.keyNodes = keyNodes;
            this.keys = keys;
            this.record = record;
        }

        @Override
        public Ev match(SqlNode n) {
            for (int i = 0; i < keyNodes.size(); i++) {
                if (keyNodes.get(i).equalsDeep(n, Litmus.IGNORE)) {
                    return new Ev.Value(i, keys.get(i).type);
                }
            }
            return null;
        }

        @Override
        public Ev identifier(SqlIdentifier id) {
            String name = last(id);
            for (int i = 0; i < keyNodes.size(); i++) {
                if (keyNodes.get(i) instanceof SqlIdentifier k && last(k).equalsIgnoreCase(name)) {
                    return new Ev.Value(i, keys.get(i).type);
                }
            }
            record.identifier(id); // an unknown name is reported as such
            throw error(
                    id, "column '" + name + "' must appear in the GROUP BY clause or be used in an aggregate function");
        }

        @Override
        public Ev aggregate(SqlCall call) {
            for (int j = 0; j < specNodes.size(); j++) {
                if (specNodes.get(j).equalsDeep(call, Litmus.IGNORE)) {
                    return new Ev.Value(keys.size() + j, specs.get(j).resultType);
                }
            }
            Aggregates.Spec spec = functions.aggregate(call, record);
            specs.add(spec);
            specNodes.add(call);
            return new Ev.Value(keys.size() + specs.size() - 1, spec.resultType);
        }
    }
}
