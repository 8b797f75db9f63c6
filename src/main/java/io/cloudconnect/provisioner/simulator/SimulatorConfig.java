package io.cloudconnect.provisioner.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * The built-in emnify simulator (prefix {@code cloudconnect.simulator}). Off unless enabled: the
 * production configuration never serves it.
 */
@ConfigMapping(prefix = "cloudconnect.simulator")
public interface SimulatorConfig {

  @WithDefault("false")
  boolean enabled();

  /** The application token the simulator accepts. */
  @WithDefault("simulator-application-token")
  String applicationToken();

  /** Lifetime of issued auth tokens (emnify: about 4 hours). */
  @WithDefault("4h")
  Duration tokenLifetime();

  /** Time spent in each pending status (2, 3, 4) before the next; emnify takes 3-5 min in all. */
  @WithDefault("60s")
  Duration statusStep();

  /** Whether emnify's rate limits (2,000 calls and 100 authentications per 5 minutes) apply. */
  @WithDefault("true")
  boolean rateLimits();

  String DEFAULT_REGIONS =
      "eu-west-1,eu-central-1,us-east-1,us-west-2,ap-southeast-1,ap-northeast-1";

  /** Regions served by the available_region call. */
  @WithDefault(DEFAULT_REGIONS)
  List<String> regions();
}
