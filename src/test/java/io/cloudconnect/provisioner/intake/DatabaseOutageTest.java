package io.cloudconnect.provisioner.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A database that cannot take a write right now holds the partition (retried until it can); only a
 * failure of the record itself may, after a few tries, dead-letter it.
 */
class DatabaseOutageTest {
  private static PgException pg(String sqlState) {
    return new PgException("message", "ERROR", sqlState, null);
  }

  @ParameterizedTest(name = "SQLSTATE {0}")
  @ValueSource(
      strings = {
        "08006", "08001", "57P01", "57P02", "57P03", "53300", "25006", "40001", "40P01", "57014",
        "25P03"
      })
  void transientDatabaseErrorsAreAnOutageNotABadRecord(String sqlState) {
    assertThat(DatabaseOutage.isOutage(pg(sqlState))).isTrue();
    assertThat(DatabaseOutage.isOutage(new IllegalStateException("wrapped", pg(sqlState))))
        .isTrue();
  }

  @Test
  void errorsOfTheRecordItselfAreNot() {
    assertThat(DatabaseOutage.isOutage(pg("23505"))).isFalse(); // unique violation: a race
    assertThat(DatabaseOutage.isOutage(pg("22001"))).isFalse(); // value too long
    assertThat(DatabaseOutage.isOutage(new IllegalArgumentException("bad"))).isFalse();
  }
}
