package io.cloudconnect.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Delete, cancel, compensate and adopt through the real broker, database and the emnify simulator:
 * every request answered once, and nothing of a deleted or failed request left at emnify.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class LifecycleFlowTest {

  @InjectSimulator EmnifySimulator simulator;

  @Inject OrphanSweep sweep;

  private final KafkaFixture kafka = KafkaFixture.get();

  @Test
  void deletingAReadyAttachmentRemovesItAndAnswersDeletedOnce() {
    String id = Requests.newRequestId("del-ready");
    kafka.send(id, Requests.staticVpn(id).toString());
    long attachmentId = Outcomes.ready(id).data().get("attachment_id").asLong();

    String deleteId = Requests.newRequestId("del");
    kafka.send(id, Requests.deleteOf(deleteId, id).toString());

    Outcomes.Event deleted = Outcomes.single(deleteId);
    assertThat(deleted.type()).isEqualTo("cloudconnect.attachment.deleted");
    assertThat(deleted.data().get("action").asText()).isEqualTo("delete");
    assertThat(deleted.data().get("target_request_id").asText()).isEqualTo(id);
    assertThat(deleted.data().get("attachment_id").asLong()).isEqualTo(attachmentId);
    assertThat(deleted.data().get("outcome").asText()).isEqualTo("deleted");
    assertThat(simulator.existingWith(Requests.marker(id))).isEmpty();
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).containsExactly(attachmentId);
    // the create request keeps its one (ready) event, and says what became of it
    assertThat(Outcomes.single(id).type()).isEqualTo("cloudconnect.attachment.ready");
    RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/" + id)
        .then()
        .statusCode(200);
    assertThat(
            RestAssured.given()
                .header("Authorization", OperatorTokens.statusReader())
                .get("/attachments/" + id)
                .jsonPath()
                .getString("state"))
        .isEqualTo("DELETED");

    // naming the same attachment again, by its emnify id: nothing left, answered at once
    String again = Requests.newRequestId("del-again");
    kafka.send(again, Requests.deleteAttachment(again, attachmentId).toString());
    Outcomes.Event gone = Outcomes.single(again);
    assertThat(gone.type()).isEqualTo("cloudconnect.attachment.deleted");
    assertThat(gone.data().get("outcome").asText()).isEqualTo("already_gone");
    assertThat(gone.data().get("target_request_id").asText()).isEqualTo(id);
  }

  @Test
  void deleteWhileProvisioningCancelsTheCreateAndDeletesWhatItMade() {
    String id = Requests.newRequestId("del-inflight");
    kafka.send(id, stuck(id));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "PROVISIONING".equals(state(id)) && attachmentOf(id) != null);
    long attachmentId = Long.parseLong(attachmentOf(id));

    String deleteId = Requests.newRequestId("cancel");
    kafka.send(id, Requests.deleteOf(deleteId, id).toString());

    Outcomes.Event failed = Outcomes.failed(id, "CANCELLED");
    assertThat(failed.data().get("attachment_id").asLong()).isEqualTo(attachmentId);
    assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("deleted");
    assertThat(failed.data().get("retryable").asBoolean()).isFalse();
    Outcomes.Event deleted = Outcomes.single(deleteId);
    assertThat(deleted.type()).isEqualTo("cloudconnect.attachment.deleted");
    assertThat(deleted.data().get("outcome").asText()).isEqualTo("cancelled");
    assertThat(simulator.existingWith(Requests.marker(id))).isEmpty();
  }

  @Test
  void aTimedOutRequestsAttachmentIsDeletedBeforeItsFailedEventSaysSo() {
    String id = Requests.newRequestId("timeout-comp");
    kafka.send(id, stuck(id));

    Outcomes.Event failed = Outcomes.failed(id, "TIMED_OUT");
    long attachmentId = failed.data().get("attachment_id").asLong();
    assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("deleted");
    assertThat(failed.data().get("compensation").get("detail").asText())
        .contains("attachment " + attachmentId + " deleted");
    assertThat(failed.data().get("retryable").asBoolean()).isTrue();
    assertThat(simulator.attachmentIdsWith(Requests.marker(id))).containsExactly(attachmentId);
    assertThat(simulator.existingWith(Requests.marker(id))).isEmpty();
  }

  /**
   * OpenAPI, delete: no delete in status 8. A delete request for a request whose attachment is
   * Rolling Back waits (no delete call: the attachment ends Deactivated by itself, so nothing was
   * ours to delete) and is answered once the status that follows allows it to end.
   */
  @Test
  void aDeleteInStatusEightWaitsForTheStatusThatFollows() {
    String id = Requests.newRequestId("del-in-8");
    var request = Requests.staticVpn(id);
    Requests.attachment(request).put("name", "rb [sim:rollback-slow]");
    kafka.send(id, request.toString());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "REMOVING".equals(state(id))
                    && "8"
                        .equals(
                            RestAssured.given()
                                .header("Authorization", OperatorTokens.statusReader())
                                .get("/attachments/" + id)
                                .jsonPath()
                                .getString("emnify_status.id")));

    String deleteId = Requests.newRequestId("del-8");
    kafka.send(id, Requests.deleteOf(deleteId, id).toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> "AWAITING_REMOVAL".equals(state(deleteId)));
    assertThat(state(id)).isEqualTo("REMOVING"); // still 8: nothing sent, nothing ended

    Outcomes.Event failed = Outcomes.failed(id, "ROLLED_BACK");
    assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("not_needed");
    assertThat(failed.data().get("compensation").get("detail").asText()).contains("status 7");
    Outcomes.Event deleted = Outcomes.single(deleteId);
    assertThat(deleted.type()).isEqualTo("cloudconnect.attachment.deleted");
    assertThat(deleted.data().get("outcome").asText()).isEqualTo("already_gone");
    long attachment = failed.data().get("attachment_id").asLong();
    assertThat(simulator.statusOf(attachment)).isEqualTo(7);
  }

  /**
   * An attachment that turns Active after its request timed out: every create answer is lost, and
   * emnify's list shows new attachments only after the request has failed, so neither the
   * reconciliation nor the compensation can see them. The orphan sweep deletes them.
   */
  @Test
  void anAttachmentThatTurnsActiveAfterItsRequestTimedOutIsDeletedByTheSweep() {
    String id = Requests.newRequestId("late-active");
    simulator
        .faults()
        .on("POST /cnc/breakout/vpn", new SimulatorFaults.Rule(0, 0, 0, 1.0, Duration.ZERO));
    simulator.faults().listDelay(Duration.ofSeconds(14));
    try {
      kafka.send(id, Requests.staticVpn(id).toString());
      Outcomes.Event failed = Outcomes.failed(id, "TIMED_OUT");
      assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("not_needed");
      assertThat(simulator.attachmentIdsWith(Requests.marker(id))).isNotEmpty();
    } finally {
      simulator.faults().clear();
    }
    List<Long> late = simulator.existingWith(Requests.marker(id));
    assertThat(late).as("created although every answer was lost").isNotEmpty();

    // once emnify lists them (Active by now), the sweep finds them: a failed request's attachments
    List<OrphanSweep.Found> swept = new java.util.concurrent.CopyOnWriteArrayList<>();
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              swept.addAll(sweepNow().orphans());
              return simulator.existingWith(Requests.marker(id)).isEmpty();
            });
    assertThat(swept)
        .filteredOn(f -> late.contains(f.attachmentId()))
        .isNotEmpty()
        .allSatisfy(
            f -> {
              assertThat(f.why()).contains("request " + id + " failed (TIMED_OUT)");
              assertThat(f.statusId()).isEqualTo(5);
              assertThat(f.done()).isEqualTo("deleted");
            });
  }

  /**
   * An attachment that carries this deployment's marker (its request's record lost, say) is
   * adopted: ready with its tunnel, nothing created, its key not readable unless the deployment
   * says so (cloudconnect.adoption.psk-readable).
   */
  @Test
  void adoptingAnExistingAttachmentAnswersReadyWithItsTunnelAndCreatesNothing() {
    String lost = Requests.newRequestId("record-lost");
    long existing =
        simulator.seedAttachment(
            "made here", "branch " + Requests.marker(lost), Duration.ofMinutes(10));
    String id = Requests.newRequestId("adopt");
    kafka.send(id, Requests.adopt(id, existing).toString());

    Outcomes.Event ready = Outcomes.ready(id);
    assertThat(ready.data().get("action").asText()).isEqualTo("adopt");
    assertThat(ready.data().get("attachment_id").asLong()).isEqualTo(existing);
    assertThat(ready.data().get("type").asInt()).isEqualTo(2);
    assertThat(ready.data().get("tunnel_information").get("outside_address").asText()).isNotBlank();
    assertThat(ready.raw()).doesNotContain("seeded-psk-");
    assertThat(simulator.existingWith(Requests.marker(lost))).containsExactly(existing);
    assertThat(Db.saga(id).psk().byEmnify())
        .as("its key readable through the operator API")
        .isFalse();

    // a second adopt of the same attachment would manage it twice: refused
    String twice = Requests.newRequestId("adopt-twice");
    kafka.send(twice, Requests.adopt(twice, existing).toString());
    Outcomes.Event refused = Outcomes.failed(twice, "VALIDATION_FAILED");
    assertThat(refused.errorCodes()).containsExactly("ALREADY_MANAGED");
    assertThat(refused.data().get("action").asText()).isEqualTo("adopt");
    assertThat(refused.raw()).as("the holder's request id is not disclosed").doesNotContain(id);
  }

  /**
   * Producers touch only what is their deployment's: an attachment carrying another deployment's
   * marker, or none (adopting unmarked attachments is off by default), is not adopted, its tunnel
   * is not disclosed, and a delete by its id is refused afterwards; emnify is left as it was.
   */
  @Test
  void anotherDeploymentsAttachmentOrAnUnmarkedOneIsNotAdoptedNorDeletable() {
    long theirs =
        simulator.seedAttachment(
            "theirs", Marker.of("other-team", "their-site"), Duration.ofMinutes(10));
    long portal =
        simulator.seedAttachment("made by hand", "set up in the portal", Duration.ofMinutes(10));
    for (long attachment : List.of(theirs, portal)) {
      String adopt = Requests.newRequestId("adopt-foreign");
      kafka.send(adopt, Requests.adopt(adopt, attachment).toString());
      Outcomes.Event failed = Outcomes.failed(adopt, "NOT_ADOPTABLE");
      assertThat(failed.data().get("compensation").get("status").asText()).isEqualTo("not_needed");
      assertThat(failed.data().has("tunnel_information")).isFalse();
      assertThat(failed.raw()).doesNotContain("other-team").doesNotContain("52.29.");

      String delete = Requests.newRequestId("delete-foreign");
      kafka.send(delete, Requests.deleteAttachment(delete, attachment).toString());
      assertThat(Outcomes.failed(delete, "VALIDATION_FAILED").errorCodes())
          .containsExactly("UNKNOWN_ATTACHMENT");
      String viaAdopt = Requests.newRequestId("delete-via-adopt");
      kafka.send(viaAdopt, Requests.deleteOf(viaAdopt, adopt).toString());
      assertThat(Outcomes.failed(viaAdopt, "VALIDATION_FAILED").errorCodes())
          .containsExactly("NOT_DELETABLE");
    }
    assertThat(simulator.existingWith("other-team")).containsExactly(theirs);
    assertThat(simulator.existingWith("set up in the portal")).containsExactly(portal);
  }

  /**
   * A lost create's duplicate (a second attachment carrying a READY request's marker) and the
   * attachment of a request that failed are deleted; another deployment's attachment, one without a
   * namespace, and one nobody's marker names are spared.
   */
  @Test
  void theOrphanSweepDeletesOurOrphansAndSparesAnotherDeploymentsAttachments() {
    String id = Requests.newRequestId("sweep-ready");
    kafka.send(id, Requests.staticVpn(id).toString());
    long kept = Outcomes.ready(id).data().get("attachment_id").asLong();
    long duplicate =
        simulator.seedAttachment("dup", "site " + Requests.marker(id), Duration.ofMinutes(5));

    String refused = Requests.newRequestId("sweep-failed");
    kafka.send(refused, "{\"request_id\":\"" + refused + "\",\"attachment\":{\"type\":9}}");
    Outcomes.failed(refused, "VALIDATION_FAILED");
    long ofFailed =
        simulator.seedAttachment("late", "x " + Requests.marker(refused), Duration.ofMinutes(5));
    long unknown =
        simulator.seedAttachment(
            "lost", Requests.marker(Requests.newRequestId("never")), Duration.ofMinutes(5));
    String foreignMarker = Marker.of("other-team", id);
    long foreign = simulator.seedAttachment("theirs", foreignMarker, Duration.ofMinutes(5));
    long legacy = simulator.seedAttachment("old", "[ccp:" + id + "]", Duration.ofMinutes(5));

    OrphanSweep.Report report = sweepNow();

    assertThat(report.complete()).isTrue();
    assertThat(report.orphans())
        .extracting(OrphanSweep.Found::attachmentId)
        .contains(duplicate, ofFailed, unknown)
        .doesNotContain(kept, foreign, legacy);
    assertThat(report.orphans())
        .filteredOn(f -> f.attachmentId() == duplicate)
        .singleElement()
        .satisfies(f -> assertThat(f.why()).contains("duplicate").contains(String.valueOf(kept)));
    assertThat(report.orphans())
        .filteredOn(f -> List.of(duplicate, ofFailed, unknown).contains(f.attachmentId()))
        .extracting(OrphanSweep.Found::done)
        .containsOnly("deleted");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> simulator.existingWith(Requests.marker(id)).equals(List.of(kept)));
    // a deleted attachment passes through Deactivation Pending for a status step before it is gone
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> simulator.existingWith(Requests.marker(refused)).isEmpty());
    assertThat(simulator.existingWith(foreignMarker)).containsExactly(foreign);
    assertThat(simulator.existingWith("[ccp:" + id + "]")).containsExactly(legacy);
  }

  @Test
  void deleteAndAdoptRequestsThatCannotBeCarriedOutAreRefusedWithACode() {
    String unknown = Requests.newRequestId("del-unknown");
    kafka.send(unknown, Requests.deleteOf(unknown, "never-sent-" + unknown).toString());
    assertThat(Outcomes.failed(unknown, "VALIDATION_FAILED").errorCodes())
        .containsExactly("UNKNOWN_REQUEST");

    String unheld = Requests.newRequestId("del-unheld");
    kafka.send(unheld, Requests.deleteAttachment(unheld, 987654321L).toString());
    assertThat(Outcomes.failed(unheld, "VALIDATION_FAILED").errorCodes())
        .containsExactly("UNKNOWN_ATTACHMENT");

    String action = Requests.newRequestId("bad-action");
    kafka.send(action, "{\"request_id\":\"" + action + "\",\"action\":\"destroy\"}");
    assertThat(Outcomes.failed(action, "VALIDATION_FAILED").errorCodes())
        .containsExactly("ACTION_UNKNOWN");

    String noTarget = Requests.newRequestId("adopt-none");
    kafka.send(noTarget, "{\"request_id\":\"" + noTarget + "\",\"action\":\"adopt\"}");
    assertThat(Outcomes.failed(noTarget, "VALIDATION_FAILED").errorCodes())
        .containsExactly("TARGET_REQUIRED");

    String ofDelete = Requests.newRequestId("del-of-del");
    kafka.send(ofDelete, Requests.deleteOf(ofDelete, unknown).toString());
    assertThat(Outcomes.failed(ofDelete, "VALIDATION_FAILED").errorCodes())
        .containsExactly("NOT_DELETABLE");
  }

  /** One sweep, on a Vert.x context of its own as the job and the operator API run it. */
  private OrphanSweep.Report sweepNow() {
    try {
      return VertxContextSupport.subscribeAndAwait(() -> sweep.sweepNow());
    } catch (Throwable e) {
      throw new AssertionError("the sweep failed", e);
    }
  }

  /** A request whose attachment stays Pending AWS Activation at the simulator. */
  private static String stuck(String id) {
    var request = Requests.staticVpn(id);
    Requests.attachment(request).put("name", "stuck site [sim:stuck]");
    return request.toString();
  }

  private static String state(String id) {
    var response =
        RestAssured.given()
            .header("Authorization", OperatorTokens.statusReader())
            .get("/attachments/" + id);
    return response.statusCode() == 200 ? response.jsonPath().getString("state") : null;
  }

  private static String attachmentOf(String id) {
    return RestAssured.given()
        .header("Authorization", OperatorTokens.statusReader())
        .get("/attachments/" + id)
        .jsonPath()
        .getString("attachment_id");
  }
}
