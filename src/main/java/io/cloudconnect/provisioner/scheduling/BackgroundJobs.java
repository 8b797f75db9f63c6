package io.cloudconnect.provisioner.scheduling;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.creation.CreateWorker;
import io.cloudconnect.provisioner.emnify.EmnifyMeters;
import io.cloudconnect.provisioner.outbox.OutboxGauges;
import io.cloudconnect.provisioner.outbox.OutboxRelay;
import io.cloudconnect.provisioner.persistence.DatabaseClock;
import io.cloudconnect.provisioner.polling.StatusPoller;
import io.cloudconnect.provisioner.provisioning.RequestGauges;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.cloudconnect.provisioner.retention.RetentionPurge;
import io.cloudconnect.provisioner.validation.EmnifyRegionCatalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Everything the service does in the background, and how often: the one list. Replicas coordinate
 * through PostgreSQL (row claims with SKIP LOCKED, the poller's lease), not through this list.
 */
@ApplicationScoped
class BackgroundJobs {
  private static final Logger LOG = Logger.getLogger(BackgroundJobs.class);
  private final RepeatingJobs jobs;
  private final ProvisionerConfig config;
  private final CreateWorker creates;
  private final StatusPoller poller;
  private final OutboxRelay relay;
  private final RetentionPurge purge;
  private final EmnifyRegionCatalog regions;
  private final DatabaseClock clock;
  private final OrphanSweep sweep;
  private final RequestGauges requestGauges;
  private final OutboxGauges outboxGauges;
  private final EmnifyMeters emnifyMeters;

  BackgroundJobs(
      RepeatingJobs jobs,
      ProvisionerConfig config,
      CreateWorker creates,
      StatusPoller poller,
      OutboxRelay relay,
      RetentionPurge purge,
      EmnifyRegionCatalog regions,
      DatabaseClock clock,
      OrphanSweep sweep,
      RequestGauges requestGauges,
      OutboxGauges outboxGauges,
      EmnifyMeters emnifyMeters) {
    this.jobs = jobs;
    this.config = config;
    this.creates = creates;
    this.poller = poller;
    this.relay = relay;
    this.purge = purge;
    this.regions = regions;
    this.clock = clock;
    this.sweep = sweep;
    this.requestGauges = requestGauges;
    this.outboxGauges = outboxGauges;
    this.emnifyMeters = emnifyMeters;
  }

  void start(@Observes StartupEvent event) {
    if (!config.jobs().enabled()) {
      LOG.info("background jobs are off (cloudconnect.jobs.enabled=false)");
      return;
    }
    jobs.lanes(
        "create-lane",
        config.creation().concurrency(),
        config.creation().interval(),
        creates::createNext);
    // a poll cycle checks its lease between requests and stops once it is lost: one still going
    // after ten leases (and the pass timeout) is stuck, not busy
    Duration tenLeases = config.leases().duration().multipliedBy(10);
    Duration passTimeout = config.jobs().passTimeout();
    jobs.every(
        "status-poller",
        config.pollInterval(),
        tenLeases.compareTo(passTimeout) > 0 ? tenLeases : passTimeout,
        poller::poll);
    jobs.every(
        "outbox-relay", config.outbox().relayInterval(), OutboxRelay.LONGEST_SEND, relay::relay);
    jobs.every("purge", config.outbox().purgeInterval(), purge::purge);
    // the first purge soon after start: a replica restarted more often than the interval would
    // otherwise never purge
    jobs.once("purge", Duration.ofMinutes(1), purge::purge);
    jobs.every("clock-sync", Duration.ofMinutes(1), clock::synchronise);
    jobs.every("region-refresh", config.validation().regionsRefresh(), regions::refresh);
    jobs.once("region-refresh", Duration.ofMillis(1), regions::refresh);
    // a sweep holds its own lease for as long as it may run
    jobs.every("orphan-sweep", config.sweep().interval(), config.sweep().lease(), sweep::sweep);
    jobs.once("orphan-sweep", config.sweep().firstAfter(), sweep::sweep);
    // the gauges that are the database's figures, the same on every replica
    jobs.every(
        "gauges",
        config.operator().gaugesRefresh(),
        () -> requestGauges.refresh().chain(outboxGauges::refresh).chain(emnifyMeters::refresh));
  }
}
