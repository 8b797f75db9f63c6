package io.cloudconnect.provisioner.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start a production service whose configuration cannot work, before any request is
 * taken: a bad setting must stop the service with a message naming it, never turn into
 * dead-lettered or failed requests. Runs on the first startup observer, ahead of the Kafka
 * consumers.
 */
@ApplicationScoped
class ProductionConfigCheck {
  private static final Logger LOG = Logger.getLogger(ProductionConfigCheck.class);

  /** Values published in this repository (former defaults, examples): never a real credential. */
  static final Set<String> PUBLISHED_VALUES =
      Set.of(
          "cloudconnect-dev",
          "replace-me",
          // the PSK keys of the dev and test profiles and of docker-compose.yml
          "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=",
          "dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=",
          "bG9jYWwtY29tcG9zZS1rZXktbm90LWZvci1wcm9kLXU=");

  private final ProvisionerConfig config;
  private final EmnifyConfig emnify;
  private final Optional<String> dbPassword;
  private final Config settings;

  ProductionConfigCheck(
      ProvisionerConfig config,
      EmnifyConfig emnify,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword,
      Config settings) {
    this.config = config;
    this.emnify = emnify;
    this.dbPassword = dbPassword;
    this.settings = settings;
  }

  void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (LaunchMode.current() != LaunchMode.NORMAL) {
      return; // dev and test carry throwaway keys and the simulator on purpose
    }
    List<String> problems =
        problems(
            config.secrets().pskKey(),
            config.secrets().pskPreviousKeys().orElse(List.of()),
            emnify.applicationToken(),
            emnify.apiUrl(),
            emnify.allowPlainHttp(),
            dbPassword);
    problems.addAll(access().problems());
    statementBatchingProblem(
            settings.getOptionalValue(STATEMENT_BATCH_SIZE, Integer.class).orElse(null))
        .ifPresent(problems::add);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> LOG.error("refusing to start: " + problem));
      throw new ConfigurationException(
          problems.size()
              + " setting(s) cannot work in production: "
              + String.join("; ", problems));
    }
  }

  private AccessSettings access() {
    return new AccessSettings(
        settings.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true),
        settings.getOptionalValue("quarkus.oidc.auth-server-url", String.class).isPresent(),
        settings.getOptionalValues("quarkus.oidc.token.audience", String.class),
        settings.getOptionalValue("quarkus.oidc.token.issuer", String.class),
        settings.getOptionalValue("quarkus.oidc.token.age", Duration.class),
        AccessSettings.roles(config.auth().roles()),
        settings.getOptionalValue("kafka.security.protocol", String.class).orElse("PLAINTEXT"),
        config.kafka().allowPlaintext());
  }

  static final String STATEMENT_BATCH_SIZE = "quarkus.hibernate-orm.jdbc.statement-batch-size";

  /**
   * Statement batching must stay off for the whole persistence unit: Hibernate Reactive (3.2)
   * checks only the first row count of a batched statement, so a versioned update later in a batch
   * that matched no row (the saga changed meanwhile) would be lost without an error. Intake batches
   * its inserts itself ({@code SagaRepository.insertAll}).
   */
  static Optional<String> statementBatchingProblem(Integer batchSize) {
    if (batchSize == null || batchSize <= 1) {
      return Optional.empty();
    }
    return Optional.of(
        STATEMENT_BATCH_SIZE
            + " must be unset (or 1): batched versioned updates are checked only for their first"
            + " row, so a concurrent change to a saga would be overwritten without an error");
  }

  /** Every problem, one sentence each, naming the setting and what it must be. Never the value. */
  static List<String> problems(
      Optional<String> pskKey,
      List<String> previousPskKeys,
      Optional<String> applicationToken,
      String apiUrl,
      boolean allowPlainHttp,
      Optional<String> dbPassword) {
    List<String> problems = new ArrayList<>();
    String psk = "CLOUDCONNECT_SECRETS_PSK_KEY (cloudconnect.secrets.psk-key)";
    if (pskKey.isEmpty() || pskKey.get().isBlank()) {
      problems.add(psk + " is not set: a base64 AES-256 key (32 random bytes) is required");
    } else {
      aesKeyProblem(pskKey.get()).ifPresent(p -> problems.add(psk + " " + p));
      if (PUBLISHED_VALUES.contains(pskKey.get().trim())) {
        problems.add(psk + " is a value published in this repository, not a secret key");
      }
    }
    for (int i = 0; i < previousPskKeys.size(); i++) {
      int position = i + 1;
      aesKeyProblem(previousPskKeys.get(i))
          .ifPresent(
              p ->
                  problems.add(
                      "CLOUDCONNECT_SECRETS_PSK_PREVIOUS_KEYS entry " + position + " " + p));
    }
    String token = "EMNIFY_APPLICATION_TOKEN (emnify.application-token)";
    if (applicationToken.isEmpty() || applicationToken.get().isBlank()) {
      problems.add(token + " is not set: emnify's application token is required");
    } else if (PUBLISHED_VALUES.contains(applicationToken.get().trim())) {
      problems.add(token + " is a value published in this repository, not a real token");
    }
    String url = "EMNIFY_API_URL (emnify.api-url)";
    try {
      URI uri = URI.create(apiUrl.trim());
      if (uri.getHost() == null) {
        problems.add(url + " is not an absolute URL: expected https://cdn.emnify.net");
      } else if (!"https".equals(uri.getScheme()) && !allowPlainHttp) {
        problems.add(
            url
                + " is not https (a simulator, or the token would travel in clear): expected"
                + " https://cdn.emnify.net; EMNIFY_ALLOW_PLAIN_HTTP=true allows it for local runs");
      }
    } catch (IllegalArgumentException e) {
      problems.add(url + " is not a URL: expected https://cdn.emnify.net");
    }
    String password = "QUARKUS_DATASOURCE_PASSWORD (quarkus.datasource.password)";
    if (dbPassword.isEmpty() || dbPassword.get().isBlank()) {
      problems.add(password + " is not set: the service's database role needs its password");
    } else if (PUBLISHED_VALUES.contains(dbPassword.get().trim())) {
      problems.add(password + " is a value published in this repository (a dev default)");
    }
    return problems;
  }

  private static Optional<String> aesKeyProblem(String base64) {
    try {
      int length = Base64.getDecoder().decode(base64.trim()).length;
      return length == 32
          ? Optional.empty()
          : Optional.of("decodes to " + length + " bytes: an AES-256 key is 32 bytes (base64)");
    } catch (IllegalArgumentException e) {
      return Optional.of("is not base64: expected 32 random bytes, base64-encoded");
    }
  }
}
