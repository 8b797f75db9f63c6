package io.cloudconnect.provisioner.creation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.config.ReplicaId;
import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.IdRef;
import io.cloudconnect.provisioner.emnify.UpstreamException;
import io.cloudconnect.provisioner.emnify.UpstreamFailures;
import io.cloudconnect.provisioner.outbox.OutcomeRecorder;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.Marker;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.cloudconnect.provisioner.scheduling.RepeatingJobs;
import io.cloudconnect.provisioner.secrets.PskVault;
import io.cloudconnect.provisioner.secrets.Secret;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Sends the create call for RECEIVED sagas. The claim (state CREATING, attempt counted, lease
 * taken) is committed before the call, so a crash mid-call leaves a durable trace that the poller
 * resolves by reconciliation. No database transaction is open while the call is in flight.
 */
@ApplicationScoped
public class CreateWorker {
  private static final Logger LOG = Logger.getLogger(CreateWorker.class);

  private final SagaRepository sagas;
  private final EmnifyClient emnify;
  private final OutcomeRecorder outcomes;
  private final PskVault vault;
  private final ObjectMapper json;
  private final ProvisionerConfig config;
  private final ReplicaId replica;
  private final Clock clock;
  private final Pool pool;
  private final Set<String> notYetSent = new HashSet<>();
  private boolean stopping;

  private static final String RENEW =
      "update provisioning_saga set lease_until = $3, version = version + 1"
          + " where request_id = $1 and state = 'CREATING' and lease_owner = $2 and lease_until > $4";
  private static final String RELEASE =
      "update provisioning_saga set state = 'RECEIVED', lease_owner = null, lease_until = null,"
          + " create_attempts = create_attempts - 1, version = version + 1"
          + " where state = 'CREATING' and lease_owner = $1 and request_id = any($2)";

  CreateWorker(
      SagaRepository sagas,
      EmnifyClient emnify,
      OutcomeRecorder outcomes,
      PskVault vault,
      ObjectMapper json,
      ProvisionerConfig config,
      ReplicaId replica,
      Clock clock,
      Pool pool) {
    this.sagas = sagas;
    this.emnify = emnify;
    this.outcomes = outcomes;
    this.vault = vault;
    this.json = json;
    this.config = config;
    this.replica = replica;
    this.clock = clock;
    this.pool = pool;
  }

  void start(@Observes StartupEvent event, RepeatingJobs jobs) {
    jobs.every("create-worker", config.creation().interval(), this::createDue);
  }

  /**
   * On SIGTERM, claims whose call has not started are handed back at once (not after their lease),
   * so another replica creates them without waiting. A call already sent keeps its claim: its
   * outcome is unknown and the lease expiry leads to reconciliation.
   */
  void stop(@Observes ShutdownEvent event) {
    List<String> unsent = new ArrayList<>();
    synchronized (notYetSent) {
      unsent.addAll(notYetSent);
      notYetSent.clear();
      stopping = true;
    }
    if (unsent.isEmpty()) {
      return;
    }
    try {
      pool.preparedQuery(RELEASE)
          .execute(Tuple.of(replica.value(), unsent.toArray(new String[0])))
          .await()
          .atMost(Duration.ofSeconds(5));
      LOG.infof("released %d claimed creates that were not sent yet", unsent.size());
    } catch (RuntimeException e) {
      LOG.warnf("claims not released (%s); they return when their lease expires", e.toString());
    }
  }

  /** True when the call for this claim may be sent; false once shutdown handed the claim back. */
  private boolean startSending(String requestId) {
    synchronized (notYetSent) {
      return notYetSent.remove(requestId) && !stopping;
    }
  }

  Uni<Void> createDue() {
    return Panache.withTransaction(this::claimDue)
        .onItem()
        .transformToMulti(claims -> Multi.createFrom().iterable(claims))
        .onItem()
        .transformToUniAndConcatenate(this::create)
        .collect()
        .last()
        .replaceWithVoid();
  }

  /** What a claimed saga needs for its call, read while the row was locked. */
  record Claim(String requestId, AttachmentSpec spec, String pskSealed) {}

  private Uni<List<Claim>> claimDue() {
    Instant now = clock.instant();
    return sagas
        .lockDueForCreate(now, config.creation().batchSize())
        .chain(due -> claimEach(due, now));
  }

  private Uni<List<Claim>> claimEach(List<ProvisioningSaga> due, Instant now) {
    List<Claim> claims = new ArrayList<>();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (ProvisioningSaga saga : due) {
      if (saga.isPastDeadline(now)) {
        chain =
            chain.chain(
                () ->
                    outcomes.failed(
                        saga,
                        FailureReason.TIMED_OUT,
                        "not created before the provisioning deadline: " + lastErrorOf(saga),
                        now));
        continue;
      }
      if (saga.createAttempts() > 0
          && saga.receivedAt().plus(config.creation().maxSubmitAge()).isBefore(now)) {
        // throttling and outages delay work; only this long a delay fails the request
        chain =
            chain.chain(
                () ->
                    outcomes.failed(
                        saga,
                        FailureReason.UPSTREAM_UNAVAILABLE,
                        "could not be submitted to emnify within "
                            + config.creation().maxSubmitAge()
                            + ": "
                            + lastErrorOf(saga),
                        now));
        continue;
      }
      saga.claimForCreate(replica.value(), now, config.leases().duration());
      claims.add(new Claim(saga.requestId(), specOf(saga), saga.pskSealed()));
      synchronized (notYetSent) {
        notYetSent.add(saga.requestId());
      }
    }
    return chain.replaceWith(claims);
  }

  private Uni<Void> create(Claim claim) {
    if (!startSending(claim.requestId())) {
      return Uni.createFrom().voidItem();
    }
    return renewClaim(claim.requestId())
        .chain(
            held -> {
              if (!held) {
                // the claim ran out while earlier calls of this pass were slow: whoever took it
                // over decides; sending now could create a second attachment
                LOG.warnf(
                    "request %s: claim expired before its create was sent; not sent",
                    claim.requestId());
                return Uni.createFrom().voidItem();
              }
              return send(claim);
            });
  }

  /**
   * Extends the claim for the duration of the call, just before sending, and only if it is still
   * ours and unexpired. The version bump makes a concurrent takeover (the poller treating an
   * expired claim as an unknown outcome) fail instead of overwriting. The lease must outlast the
   * create call's timeout.
   */
  private Uni<Boolean> renewClaim(String requestId) {
    Instant now = clock.instant();
    return pool.preparedQuery(RENEW)
        .execute(
            Tuple.of(
                requestId,
                replica.value(),
                OffsetDateTime.ofInstant(now.plus(config.leases().duration()), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  private Uni<Void> send(Claim claim) {
    Secret psk;
    try {
      psk = claim.pskSealed() == null ? null : vault.open(claim.pskSealed(), claim.requestId());
    } catch (IllegalStateException e) {
      // e.g. sealed with a key that was rotated away: no retry can help, and nothing was sent
      return Panache.withTransaction(
          () -> apply(claim.requestId(), CreateResult.unreadablePsk(e.getMessage()), null));
    }
    CreateVpnBody body = bodyFor(claim, psk);
    return emnify
        .createVpn(body)
        .map(CreateResult::created)
        .onFailure()
        .recoverWithItem(t -> CreateResult.failed(UpstreamFailures.classify(t, "create")))
        .chain(result -> Panache.withTransaction(() -> apply(claim.requestId(), result, psk)));
  }

  private Uni<Void> apply(String requestId, CreateResult result, Secret psk) {
    Instant now = clock.instant();
    return sagas
        .findById(requestId)
        .chain(
            saga -> {
              if (saga == null
                  || saga.state() != SagaState.CREATING
                  || !replica.value().equals(saga.leaseOwner())) {
                // our lease expired and the poller took over; it reconciles by marker
                LOG.warnf("request %s: create answered after the claim was lost", requestId);
                return Uni.createFrom().voidItem();
              }
              return applyTo(saga, result, psk, now);
            });
  }

  private Uni<Void> applyTo(ProvisioningSaga saga, CreateResult result, Secret psk, Instant now) {
    if (result.pskProblem() != null) {
      return outcomes.failed(saga, FailureReason.PSK_UNREADABLE, result.pskProblem(), now);
    }
    if (result.attachmentId() != null) {
      saga.attachmentCreated(result.attachmentId(), now);
      LOG.infof("request %s: attachment %d created", saga.requestId(), result.attachmentId());
      return Uni.createFrom().voidItem();
    }
    UpstreamException failure = result.failure();
    String message = psk == null ? failure.getMessage() : psk.redactIn(failure.getMessage());
    LOG.infof("request %s: create failed (%s): %s", saga.requestId(), failure.kind(), message);
    return switch (failure.kind()) {
      case REJECTED, NOT_FOUND ->
          outcomes.failed(saga, FailureReason.REJECTED_BY_API, message, now);
      case UNAUTHORIZED -> outcomes.failed(saga, FailureReason.UNAUTHORIZED, message, now);
      case THROTTLED, NOT_SENT -> {
        Duration wait = failure.retryAfter().orElse(backoff(saga.createAttempts()));
        saga.createDeferred(message, now.plus(wait), now);
        yield Uni.createFrom().voidItem();
      }
      case AMBIGUOUS -> {
        saga.createOutcomeUnknown(message, now);
        yield Uni.createFrom().voidItem();
      }
    };
  }

  private Duration backoff(int attempts) {
    Duration base = config.creation().retryBackoff();
    Duration max = config.creation().maxRetryBackoff();
    long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
    long millis = Math.min(max.toMillis(), base.toMillis() * factor);
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, millis / 4) + 1);
    return Duration.ofMillis(millis + jitter);
  }

  private static CreateVpnBody bodyFor(Claim claim, Secret psk) {
    AttachmentSpec spec = claim.spec();
    return new CreateVpnBody(
        new IdRef(spec.type()),
        spec.name(),
        Marker.describe(spec.description(), claim.requestId()),
        spec.region(),
        spec.publicIp(),
        spec.onPremCidr(),
        psk == null ? null : psk.reveal(),
        spec.asn(),
        spec.insideCidr());
  }

  private AttachmentSpec specOf(ProvisioningSaga saga) {
    try {
      return json.readValue(saga.specJson(), AttachmentSpec.class);
    } catch (Exception e) {
      throw new IllegalStateException("request " + saga.requestId() + " has an unreadable spec", e);
    }
  }

  private static String lastErrorOf(ProvisioningSaga saga) {
    return saga.lastError() == null ? "no answer from emnify" : saga.lastError();
  }

  /** The create call's result: an attachment id, a classified failure, or a PSK we cannot open. */
  record CreateResult(Long attachmentId, UpstreamException failure, String pskProblem) {
    static CreateResult created(long id) {
      return new CreateResult(id, null, null);
    }

    static CreateResult failed(UpstreamException failure) {
      return new CreateResult(null, failure, null);
    }

    static CreateResult unreadablePsk(String problem) {
      return new CreateResult(null, null, problem);
    }
  }
}
