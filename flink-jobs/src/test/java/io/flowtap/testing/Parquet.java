package io.flowtap.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads Parquet datasets with DuckDB, a reader independent of the writer under test. */
public final class Parquet {
    private Parquet() {}

    /** Rows of a query over {@code dataset} (a directory of Hive-partitioned Parquet files). */
    public static List<Map<String, Object>> query(Path dataset, String selectFromDataset)
            throws SQLException {
        String source =
                "read_parquet('"
                        + dataset.toAbsolutePath()
                        + "/**/*.parquet', hive_partitioning = true)";
        String sql = selectFromDataset.replace("DATASET", source);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
