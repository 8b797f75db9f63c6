package io.cloudconnect.provisioner.reliability;

/** Where a scenario's service keeps its sagas: the machine's cluster, or one of the test's own. */
public record Database(String host, int port, String name, String password) {

  /** The machine's cluster, prepared by scripts/test.sh (role password generated per checkout). */
  public static Database machine() {
    return new Database(
        "127.0.0.1",
        5432,
        "cloudconnect_reliability",
        System.getenv("QUARKUS_DATASOURCE_PASSWORD"));
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }

  /** A JDBC connection as the service's role, for a test's own reads and writes. */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(jdbcUrl(), "cloudconnect", password);
  }

  public String reactiveUrl() {
    return "postgresql://" + host + ":" + port + "/" + name;
  }
}
