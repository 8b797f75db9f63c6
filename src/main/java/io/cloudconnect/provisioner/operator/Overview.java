package io.cloudconnect.provisioner.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the console's first screen shows: one read of the service's state. */
public record Overview(
    Instant at,
    Map<String, Long> counts,
    List<RequestView> stuck,
    @JsonProperty("stuck_after_seconds") long stuckAfterSeconds,
    @JsonProperty("recent_failures") List<RequestView> recentFailures,
    Budget budget,
    Map<String, String> breakers,
    @JsonProperty("last_sweep") OrphanSweep.Report lastSweep) {

  /**
   * The shared emnify API budget: tokens left now (of {@code burst}), the refill per window, the
   * reads the poller announced, and a pause after a 429 if one is in force.
   */
  public record Budget(
      @JsonProperty("tokens_left") double tokensLeft,
      int burst,
      @JsonProperty("per_window") int perWindow,
      @JsonProperty("window_seconds") long windowSeconds,
      @JsonProperty("reads_wanted") double readsWanted,
      @JsonProperty("paused_until") Instant pausedUntil) {}
}
