package io.cloudconnect.provisioner.removal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.support.Db;
import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.InjectSimulator;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep in an organisation of 66,000 attachments of this deployment, more ids than one
 * PostgreSQL statement binds (65,535): it judges them all (here, with {@code keep}, it reports
 * them). Before, its one query with every id failed, every time.
 */
@Tag("platform")
@QuarkusTest
@TestProfile(SweepAtScaleTest.KeepOrphans.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class SweepAtScaleTest {
  static final int ATTACHMENTS = 66_000;

  public static class KeepOrphans extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("cloudconnect.compensation.mode", "keep");
      return overrides;
    }
  }

  @InjectSimulator EmnifySimulator simulator;
  @Inject OrphanSweep sweep;

  @Test
  void sixtySixThousandAttachmentsOfThisDeploymentAreAllJudged() throws Throwable {
    Db.clear();
    List<Long> seeded = new ArrayList<>();
    try {
      for (int i = 0; i < ATTACHMENTS; i++) {
        seeded.add(
            simulator.seedAttachment(
                "scale " + i, Marker.of("test", "scale-" + i), Duration.ofHours(1)));
      }

      OrphanSweep.Report report = VertxContextSupport.subscribeAndAwait(() -> sweep.sweepNow());

      assertThat(report.problem()).isNull();
      assertThat(report.complete()).isTrue();
      assertThat(report.listed()).isGreaterThanOrEqualTo(ATTACHMENTS);
      java.util.Set<Long> ours = new java.util.HashSet<>(seeded);
      assertThat(report.orphans())
          .filteredOn(found -> ours.contains(found.attachmentId()))
          .hasSize(ATTACHMENTS)
          .allMatch(found -> found.done().equals("reported"));
    } finally {
      simulator.delete(seeded);
    }
  }
}
