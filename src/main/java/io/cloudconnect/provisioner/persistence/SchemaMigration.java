package io.cloudconnect.provisioner.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Migrates the schema (Flyway, the only writer of the schema) at start in production: after the
 * configuration check (config/ProductionConfigCheck, which runs first and names a missing or
 * published database password instead of letting a connection error speak), before the Kafka
 * consumers and the background jobs. Dev and test let the Flyway extension migrate at start.
 */
@ApplicationScoped
class SchemaMigration {
  private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

  void migrate(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event,
      Flyway flyway,
      @ConfigProperty(name = "quarkus.flyway.migrate-at-start") boolean extensionMigrates) {
    if (extensionMigrates) {
      return;
    }
    int applied = flyway.migrate().migrationsExecuted;
    LOG.infof("database schema up to date (%d migrations applied now)", applied);
  }
}
