package io.cloudconnect.provisioner.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A replica whose own clock is 7 s ahead still stamps and compares on PostgreSQL's clock. */
@Tag("platform")
@QuarkusTest
@TestProfile(DatabaseClockTest.SevenSecondsAhead.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseClockTest {
  public static class SevenSecondsAhead extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("cloudconnect.clock.drill-skew", "7s");
      return overrides;
    }
  }

  @Inject Clock clock;

  private static Instant databaseNow() {
    Pool pool = Arc.container().instance(Pool.class).get();
    return Db.await(
        () ->
            pool.query("select clock_timestamp() as now")
                .execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant()));
  }

  @Test
  void serviceClockAgreesWithPostgresWhateverTheReplicasOwnClockSays() {
    Instant before = databaseNow();
    Instant ours = clock.instant();
    Instant after = databaseNow();

    // uncorrected, this replica's clock would read 7 s ahead of both
    assertThat(ours).isBetween(before.minusMillis(250), after.plusMillis(250));
  }
}
