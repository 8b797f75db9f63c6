package io.cloudconnect.provisioner.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cloudconnect.provisioner.saga.Compensation;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Specs;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one version-conflict policy: a unit of work whose saga another transaction changed before it
 * committed runs again, from its read, on the saga as it is now; one that loses every time fails
 * with the conflict after {@link Transactions#ATTEMPTS} attempts, counted.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class TransactionsTest {
  @Inject Transactions tx;
  @Inject SagaRepository sagas;
  @Inject MeterRegistry metrics;

  private String accepted() {
    return Db.acceptedRequest("tx", Specs.staticVpn("Berlin"), "v1:sealed");
  }

  /** Cancels the saga, after it was changed elsewhere on the first {@code racedAttempts} reads. */
  private Uni<String> cancelLosing(String id, int racedAttempts, List<String> seen) {
    AtomicInteger attempt = new AtomicInteger();
    return tx.write(
        () ->
            sagas
                .findById(id)
                .call(
                    saga -> {
                      seen.add(saga.lastError() == null ? "-" : saga.lastError());
                      int n = attempt.incrementAndGet();
                      return n <= racedAttempts
                          ? Db.changedElsewhere(id, "elsewhere " + n)
                          : Uni.createFrom().voidItem();
                    })
                .map(
                    saga -> {
                      saga.fail(
                          FailureReason.CANCELLED,
                          "cancelled",
                          Compensation.NOT_NEEDED,
                          "nothing was created",
                          Instant.now());
                      return saga.requestId();
                    }));
  }

  private double conflicts(String outcome) {
    var counter =
        metrics
            .find("cloudconnect.transactions.version.conflicts")
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aLostRaceRunsTheUnitAgainOnTheSagaAsItIsNow() {
    String id = accepted();
    double before = conflicts("ran_again");
    List<String> seen = new ArrayList<>();

    assertThat(Db.await(() -> cancelLosing(id, 2, seen))).isEqualTo(id);

    // each attempt read what the one before it lost to
    assertThat(seen).containsExactly("-", "elsewhere 1", "elsewhere 2");
    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.FAILED);
    assertThat(saga.failureReason()).isEqualTo(FailureReason.CANCELLED);
    assertThat(conflicts("ran_again") - before).isEqualTo(2);
  }

  @Test
  void aRaceLostEveryTimeFailsWithTheConflictAndWritesNothing() {
    String id = accepted();
    double before = conflicts("gave_up");
    List<String> seen = new ArrayList<>();

    Throwable failure =
        catchThrowable(() -> Db.await(() -> cancelLosing(id, Integer.MAX_VALUE, seen)));

    assertThat(Transactions.lostRace(failure)).as("%s", failure).isTrue();
    assertThat(seen).hasSize(Transactions.ATTEMPTS);
    ProvisioningSaga saga = Db.saga(id);
    assertThat(saga.state()).isEqualTo(SagaState.RECEIVED);
    assertThat(saga.lastError()).isEqualTo("elsewhere " + Transactions.ATTEMPTS);
    assertThat(conflicts("gave_up") - before).isEqualTo(1);
  }

  @Test
  void aCallerSubscribingAgainStartsFromTheFirstAttempt() {
    String id = accepted();
    double ranAgain = conflicts("ran_again");
    double gaveUp = conflicts("gave_up");
    List<String> seen = new ArrayList<>();
    Uni<String> losing = cancelLosing(id, Integer.MAX_VALUE, seen);

    catchThrowable(() -> Db.await(() -> losing));
    catchThrowable(() -> Db.await(() -> losing));

    assertThat(seen).hasSize(2 * Transactions.ATTEMPTS);
    assertThat(conflicts("ran_again") - ranAgain).isEqualTo(2 * (Transactions.ATTEMPTS - 1));
    assertThat(conflicts("gave_up") - gaveUp).isEqualTo(2);
  }

  @Test
  void otherFailuresAreNotRunAgain() {
    AtomicInteger attempts = new AtomicInteger();

    Throwable failure =
        catchThrowable(
            () ->
                Db.await(
                    () ->
                        tx.write(
                            () -> {
                              attempts.incrementAndGet();
                              return Uni.createFrom()
                                  .failure(new IllegalStateException("not a race"));
                            })));

    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("not a race");
    assertThat(attempts).hasValue(1);
  }
}
