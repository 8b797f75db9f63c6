package io.cloudconnect.provisioner.support;

import io.cloudconnect.emnify.simulator.EmnifySimulator;
import io.quarkus.arc.Arc;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.lang.reflect.Field;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The component tests' one set-up, {@code @ExtendWith(CleanSlate.class)}: each test starts on an
 * empty database, and whatever it did to emnify is undone after it: the simulator (the test's
 * {@link InjectSimulator} field) healed as it was started and the client's circuit breakers closed,
 * so that the next test, of this class or another on the same profile, starts from the same place.
 */
public class CleanSlate implements BeforeEachCallback, AfterEachCallback {

  @Override
  public void beforeEach(ExtensionContext context) {
    Db.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IllegalAccessException {
    EmnifySimulator simulator = simulatorOf(context.getRequiredTestInstance());
    if (simulator != null) {
      simulator.heal();
    }
    Arc.container().instance(CircuitBreakerMaintenance.class).get().resetAll();
  }

  private static EmnifySimulator simulatorOf(Object test) throws IllegalAccessException {
    for (Class<?> type = test.getClass(); type != null; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (field.isAnnotationPresent(InjectSimulator.class)) {
          field.setAccessible(true);
          return (EmnifySimulator) field.get(test);
        }
      }
    }
    return null;
  }
}
