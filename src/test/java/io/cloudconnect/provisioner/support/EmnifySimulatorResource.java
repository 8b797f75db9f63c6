package io.cloudconnect.provisioner.support;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.cloudconnect.emnify.simulator.SimulatorOptions;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.time.Duration;
import java.util.Map;

/**
 * Starts one emnify simulator for the whole test run and points the service at it; tests reach it
 * through {@link InjectSimulator} to read its counts and inject faults.
 */
public class EmnifySimulatorResource implements QuarkusTestResourceLifecycleManager {
  /** Time an attachment spends in each pending status: Active about half a second after create. */
  static final Duration STATUS_STEP = Duration.ofMillis(150);

  private EmnifySimulator simulator;

  @Override
  public Map<String, String> start() {
    try {
      simulator =
          EmnifySimulator.start(
              // a short lock-out: the authentication tests walk into it on purpose
              SimulatorOptions.forTests(STATUS_STEP).withLockout(Duration.ofSeconds(2)));
    } catch (Exception e) {
      throw new IllegalStateException("the emnify simulator did not start", e);
    }
    return Map.of(
        "emnify.api-url",
        simulator.url(),
        "emnify.application-token",
        SimulatorOptions.APPLICATION_TOKEN);
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        simulator,
        new TestInjector.AnnotatedAndMatchesType(InjectSimulator.class, EmnifySimulator.class));
  }

  @Override
  public void stop() {
    try {
      if (simulator != null) {
        simulator.close();
      }
    } catch (Exception e) {
      // the test JVM ends anyway
    }
  }
}
