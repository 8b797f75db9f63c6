package io.cloudconnect.provisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.saga.CreateOutcome;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Requests;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deletes naming requests whose create answers are being recorded at the same moment (other
 * transactions, as on two replicas): whichever commits first, each request ends up being removed,
 * holding the attachment its create made, and its delete waits for that.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class CancelRaceTest {
  private static final int ROUNDS = Integer.getInteger("race.rounds", 20);
  private static final int TARGETS = 3;

  @Inject Arrivals arrivals;
  @Inject Creations creations;

  /**
   * Each round: three requests whose create answers are recorded while one intake batch of three
   * deletes names them; each writer as its caller runs it (the worker tries its write again on the
   * saga as it is then; intake records the batch, and on failure each arrival alone, tried again a
   * few times).
   */
  @Test
  void deletesRacingTheCreateAnswersAlwaysRemoveTheCreatedAttachments() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TARGETS; i++) {
        String id = Requests.newRequestId("race");
        assertThat(Db.await(() -> arrivals.accept(id, Specs.staticVpn("Berlin"), "v1:sealed")))
            .isTrue();
        ids.add(id);
      }
      List<CreateClaim> claims = Db.await(() -> creations.claimDueCreates("replica-a", TARGETS));
      assertThat(claims).hasSize(TARGETS);
      List<Arrival> deletes = new ArrayList<>();
      for (String id : ids) {
        deletes.add(new Arrival.Delete(Requests.newRequestId("race-delete"), id, null));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Void>> answers = new ArrayList<>();
      for (CreateClaim claim : claims) {
        long attachment = attachmentOf(claim);
        answers.add(
            CompletableFuture.runAsync(
                () -> {
                  await(go);
                  Db.await(
                      () ->
                          creations
                              .recordCreateOutcome(
                                  claim, "replica-a", new CreateOutcome.Created(attachment))
                              .onFailure()
                              .retry()
                              .withBackOff(Duration.ofMillis(10))
                              .atMost(5));
                }));
      }
      CompletableFuture<List<Arrival.Recorded>> recorded =
          CompletableFuture.supplyAsync(
              () -> {
                await(go);
                try {
                  return Db.await(() -> arrivals.recordAll(deletes));
                } catch (RuntimeException e) {
                  List<Arrival.Recorded> alone = new ArrayList<>();
                  for (Arrival delete : deletes) {
                    alone.addAll(
                        Db.await(
                            () ->
                                arrivals
                                    .recordAll(List.of(delete))
                                    .onFailure()
                                    .retry()
                                    .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                                    .atMost(5)));
                  }
                  return alone;
                }
              });
      go.countDown();
      for (CompletableFuture<Void> answer : answers) {
        answer.get();
      }
      assertThat(recorded.get()).containsOnly(Arrival.Recorded.ACCEPTED).hasSize(TARGETS);

      for (CreateClaim claim : claims) {
        ProvisioningSaga target = Db.saga(claim.requestId());
        assertThat(target.state()).as("round %d", round).isEqualTo(SagaState.REMOVING);
        assertThat(target.attachmentId()).as("round %d", round).isEqualTo(attachmentOf(claim));
      }
      for (Arrival delete : deletes) {
        assertThat(Db.saga(delete.requestId()).state()).isEqualTo(SagaState.AWAITING_REMOVAL);
      }
    }
  }

  /** The attachment emnify "created" for a claim: one per request, told apart by its marker. */
  private static long attachmentOf(CreateClaim claim) {
    return 5000 + Math.abs(claim.marker().hashCode() % 1_000_000);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
