package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorFaults.Rule;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.support.CleanSlate;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The emnify client against the simulator: how often each call is tried, which failures open its
 * breaker and which do not. The figures are the configured ones (application.properties, "fault
 * tolerance"), so a renamed class or method that silently drops its configuration fails here.
 */
@Tag("platform")
@QuarkusTest
@ExtendWith(CleanSlate.class)
@TestProfile(ManualJobs.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class EmnifyClientTest {
  static final String GET = "GET /cnc/breakout/{id}";
  static final String CREATE = "POST /cnc/breakout/vpn";
  static final String REGIONS = "GET /cnc/breakout_type/{id}/available_region";
  static final String LIST = "GET /cnc/breakout";
  static final String AUTHENTICATE = "POST /authenticate";
  static final Rule ALWAYS_5XX = Rule.NONE.errors(1.0);

  @InjectSimulator EmnifySimulator simulator;
  @Inject EmnifyClient emnify;
  @Inject CircuitBreakerMaintenance breakers;

  /** The call's failure as the service's callers see it: classified. */
  private static UpstreamException failureOf(Supplier<Uni<?>> call) {
    Throwable failure = catchThrowable(() -> Db.await(call::get));
    assertThat(failure).isNotNull();
    return UpstreamFailures.classify(failure, "get attachment");
  }

  @Test
  void readIsTriedFourTimesOnFaults() {
    simulator.faults().on(GET, ALWAYS_5XX);
    long before = simulator.requests(GET);

    UpstreamException failure = failureOf(() -> emnify.get(4711));

    assertThat(failure.kind()).isEqualTo(Kind.NOT_SENT);
    assertThat(simulator.requests(GET) - before).isEqualTo(4); // 1 + retry.max-retries 3
  }

  @Test
  void finalAnswerIsNotRetried() {
    long before = simulator.requests(GET);

    UpstreamException failure = failureOf(() -> emnify.get(999_999));

    assertThat(failure.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(simulator.requests(GET) - before).isEqualTo(1);
  }

  @Test
  void createIsNeverRetriedAndA5xxLeavesItsOutcomeUnknown() {
    simulator.faults().on(CREATE, ALWAYS_5XX);
    long before = simulator.requests(CREATE);

    UpstreamException failure =
        failureOf(
            () ->
                emnify.createVpn(
                    CreateVpnBody.of(Specs.staticVpn("Berlin"), "[ccp:client-test]", null)));

    assertThat(failure.kind()).isEqualTo(Kind.AMBIGUOUS);
    assertThat(simulator.requests(CREATE) - before).isEqualTo(1);
  }

  @Test
  void regionsAreTriedThreeTimes() {
    simulator.faults().on(REGIONS, ALWAYS_5XX);
    long before = simulator.requests(REGIONS);

    failureOf(() -> emnify.availableRegions(2));

    assertThat(simulator.requests(REGIONS) - before).isEqualTo(3); // 1 + retry.max-retries 2
  }

  @Test
  void breakerOpensAtThreeQuartersOfTwentyFaultsAndThenSendsNothing() {
    simulator.faults().on(GET, ALWAYS_5XX);
    for (int i = 0; i < 5; i++) { // 5 calls of 4 attempts: 20 faults in the window of 20
      failureOf(() -> emnify.get(4711));
    }
    assertThat(breakers.currentState("emnify-get")).isEqualTo(CircuitBreakerState.OPEN);
    long before = simulator.requests(GET);

    Throwable rejected = catchThrowable(() -> Db.await(() -> emnify.get(4711)));

    assertThat(rejected).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(UpstreamFailures.classify(rejected, "get").kind()).isEqualTo(Kind.NOT_SENT);
    assertThat(simulator.requests(GET)).isEqualTo(before);
  }

  @Test
  void emnifysFinalAnswersDoNotOpenTheBreaker() {
    for (int i = 0; i < 25; i++) {
      assertThat(failureOf(() -> emnify.get(999_999)).kind()).isEqualTo(Kind.NOT_FOUND);
    }
    assertThat(breakers.currentState("emnify-get")).isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void theListIsReadAsItArrivesInBothShapes() {
    long organisation = Db.await(emnify::myOrganisationId);
    List<Long> others = simulator.seedActiveAttachments(3_000); // about 1 MB: many pieces
    try {
      long before = simulator.requests(LIST);

      Page whole = Db.await(() -> emnify.listPage(null, null, organisation, 1));

      // as emnify documents the call: everything in one answer, no paging headers
      assertThat(simulator.requests(LIST) - before).isEqualTo(1);
      assertThat(whole.items()).extracting(Attachment::id).containsAll(others);
      assertThat(whole.totalPages()).isNull();
      assertThat(whole.totalCount()).isNull();
      Attachment one =
          whole.items().stream().filter(a -> a.id() == others.get(0)).findFirst().get();
      assertThat(one.status().id()).isEqualTo(5);
      assertThat(one.region()).isEqualTo("eu-west-1");

      simulator.pagedList(true);
      Page second = Db.await(() -> emnify.listPage(null, null, organisation, 2));

      assertThat(second.items()).hasSize(emnify.pageSize());
      assertThat(second.page()).isEqualTo(2);
      assertThat(second.totalCount()).isEqualTo(whole.items().size());
      assertThat(second.totalPages())
          .isEqualTo((whole.items().size() + emnify.pageSize() - 1) / emnify.pageSize());
    } finally {
      simulator.pagedList(false);
      simulator.delete(others);
    }
  }

  @Test
  void aRefusedListIsJudgedLikeEveryOtherAnswer() {
    long organisation = Db.await(emnify::myOrganisationId);
    simulator.faults().on(LIST, ALWAYS_5XX);
    long before = simulator.requests(LIST);

    UpstreamException fault = failureOf(() -> emnify.listPage(null, null, organisation, 1));

    assertThat(fault.kind()).isEqualTo(Kind.NOT_SENT);
    assertThat(simulator.requests(LIST) - before).isEqualTo(4);

    simulator.faults().clear();
    simulator.expireAllTokens();
    long authentications = simulator.requests(AUTHENTICATE);

    Page page = Db.await(() -> emnify.listPage(null, null, organisation, 1));

    // the 401 of an expired token: one fresh token, the list asked once more
    assertThat(page.items()).isNotNull();
    assertThat(simulator.requests(AUTHENTICATE) - authentications).isEqualTo(1);
  }
}
