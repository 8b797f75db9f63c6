package io.cloudconnect.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How to reach emnify (prefix {@code emnify}: EMNIFY_API_URL, EMNIFY_APPLICATION_TOKEN). */
@ConfigMapping(prefix = "emnify")
public interface EmnifyConfig {

  /** Base URL of the emnify REST API; the REST client reads it too. */
  @WithDefault("https://cdn.emnify.net")
  String apiUrl();

  /**
   * Allows a plain-http {@code api-url} in production. emnify's API is https; plain http is what
   * the local simulator speaks, and it would carry the application token in clear. Only for local
   * runs of the packaged service against the simulator (EMNIFY_ALLOW_PLAIN_HTTP).
   */
  @WithDefault("false")
  boolean allowPlainHttp();

  /** Application token exchanged for an auth token. Never logged. */
  Optional<String> applicationToken();

  /** Renew the auth token this long before its {@code exp}. */
  @WithDefault("5m")
  Duration tokenRenewBefore();

  /**
   * After emnify refuses the application token, no replica authenticates again for this long (the
   * hold is shared through the database), so that replicas do not walk into emnify's lock-out.
   */
  @WithDefault("1m")
  Duration authFailureBackoff();

  /**
   * emnify locks authentication for 5 minutes after three failed attempts (401 {@code
   * TooManyRequests}); after such an answer no replica authenticates for this long. At least 5
   * minutes: an attempt during the lock-out could prolong it.
   */
  @WithDefault("5m30s")
  Duration authLockout();

  /**
   * The emnify organisation whose attachments this service manages (EMNIFY_ORGANISATION_ID).
   * Usually left unset: the service asks emnify which organisation its application token belongs to
   * ({@code GET /api/v1/organisation/my}) and filters every list by it.
   */
  Optional<Long> organisationId();

  /** Page size for the list call. */
  @WithDefault("100")
  int listPageSize();
}
