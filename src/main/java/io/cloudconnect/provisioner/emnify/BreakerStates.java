package io.cloudconnect.provisioner.emnify;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The emnify client's circuit breakers by name, and their states (health and operator API). */
public final class BreakerStates {
  /** Every {@code @CircuitBreakerName} of the emnify client. */
  public static final List<String> NAMES =
      List.of(
          "emnify-create",
          "emnify-get",
          "emnify-list",
          "emnify-delete",
          "emnify-psk",
          "emnify-organisation",
          "emnify-regions");

  private BreakerStates() {}

  /** Each breaker's state: CLOSED, OPEN, HALF_OPEN, or UNKNOWN when not used yet here. */
  public static Map<String, String> of(CircuitBreakerMaintenance breakers) {
    Map<String, String> states = new LinkedHashMap<>();
    for (String name : NAMES) {
      states.put(name, stateOf(breakers, name));
    }
    return states;
  }

  public static String stateOf(CircuitBreakerMaintenance breakers, String name) {
    try {
      return breakers.currentState(name).name();
    } catch (IllegalArgumentException e) {
      return "UNKNOWN";
    }
  }

  /** The breakers that are open (or half-open: still testing emnify), by name. */
  static List<String> openOf(Map<String, String> states) {
    return states.entrySet().stream()
        .filter(e -> !"CLOSED".equals(e.getValue()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Whether the breaker holds calls back (open, or half-open: testing emnify again). */
  public static boolean holdsBack(String state) {
    return "OPEN".equals(state) || "HALF_OPEN".equals(state);
  }
}
