package dev.mtls.examples.clients;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL JDBC driver, connecting as its documentation shows for SSL (the JDBC URL carries
 * {@code sslmode} and friends). pgjdbc initialises its own context with its own plain
 * {@code X509KeyManager} (reading {@code sslcert}/{@code sslkey}, by default from
 * {@code ~/.postgresql}). Prints the role the server authenticated. Usage: {@code PgJdbcApp JDBC_URL...}
 */
public final class PgJdbcApp {
    private PgJdbcApp() {
    }

    public static void main(String[] urls) {
        for (String url : urls) {
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT current_user")) {
                result.next();
                ClientResults.ok(url, "current_user=" + result.getString(1));
            } catch (SQLException e) {
                ClientResults.failed(url, e);
            }
        }
    }
}
