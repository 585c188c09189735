import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Runs one SQL query on DuckDB (JDBC, the same engine as the peers' query.py) with 2 threads and
 * prints its wall time and row count: java -cp duckdb_jdbc.jar bench/DuckQuery.java "SQL"
 */
public class DuckQuery {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            long t0 = System.nanoTime();
            int rows = 0;
            try (ResultSet r = s.executeQuery(args[0])) {
                while (r.next()) {
                    rows++;
                }
            }
            System.out.printf("%.3f %d%n", (System.nanoTime() - t0) / 1e9, rows);
        }
    }
}
