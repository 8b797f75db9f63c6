package io.cloudconnect.provisioner.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Component tests: no background job runs by itself, so each test drives the create, poll and relay
 * passes by hand and counts exactly the calls it caused.
 */
public class ManualJobs implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "cloudconnect.jobs.enabled", "false",
        "quarkus.fault-tolerance.global.retry.delay", "20",
        "quarkus.fault-tolerance.global.retry.jitter", "10");
  }
}
