package io.cloudconnect.provisioner.intake;

import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a database that cannot be reached (retry for as long as it lasts: no request can be
 * recorded, none may be dropped) from a failure of one record (retry a few times, then dead-letter
 * it, so it cannot hold up the records behind it).
 */
final class DatabaseOutage {
  /** Vert.x SQL client failures that mean "no connection", by simple class name. */
  private static final Set<String> CONNECTION_FAILURES =
      Set.of(
          "ClosedConnectionException",
          "ConnectTimeoutException",
          "PgConnectException",
          "NoStackTraceTimeoutException");

  /**
   * SQLSTATEs that say "this database cannot take the write right now", not "this record is bad"
   * (PostgreSQL errcodes): class 08 connection exceptions; 57P01-57P03 shut down, crashed, not
   * accepting connections yet; 53300 too many connections; 25006 read-only (a failover in
   * progress); 40001 and 40P01 serialization failure and deadlock (retrying is their cure); 57014
   * and 25P03 a statement or an idle transaction cut off by the service's own timeouts (a database
   * that hangs, not a bad record).
   */
  private static final Set<String> TRANSIENT_SQLSTATES =
      Set.of("57P01", "57P02", "57P03", "53300", "25006", "40001", "40P01", "57014", "25P03");

  private DatabaseOutage() {}

  static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException database && isTransient(database.getSqlState())) {
        return true;
      }
      if (t instanceof ConnectException
          || t instanceof ClosedChannelException
          || t instanceof TimeoutException
          || CONNECTION_FAILURES.contains(t.getClass().getSimpleName())) {
        return true;
      }
      String message = t.getMessage();
      if (message != null
          && (message.contains("Connection refused")
              || message.contains("Pool closed")
              || message.contains("connection closed")
              || message.contains("the database system is"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTransient(String sqlState) {
    return sqlState != null
        && (sqlState.startsWith("08") || TRANSIENT_SQLSTATES.contains(sqlState));
  }
}
