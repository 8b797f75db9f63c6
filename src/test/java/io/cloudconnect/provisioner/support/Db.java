package io.cloudconnect.provisioner.support;

import io.cloudconnect.provisioner.persistence.JobLeases;
import io.cloudconnect.provisioner.persistence.OutboxEvent;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.persistence.SagaRepository;
import io.cloudconnect.provisioner.provisioning.Arrivals;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.validation.ErrorCode;
import io.cloudconnect.provisioner.validation.Violation;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;

/** Reads what a test needs from the service's database, from the test's (blocking) thread. */
public final class Db {
  private Db() {}

  /** Runs a reactive call on a Vert.x context (as the service does) and waits for its result. */
  public static <T> T await(Supplier<Uni<T>> call) {
    try {
      return VertxContextSupport.subscribeAndAwait(call);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  public static JobLeases jobLeases() {
    return Arc.container().instance(JobLeases.class).get();
  }

  public static ProvisioningSaga saga(String requestId) {
    SagaRepository sagas = Arc.container().instance(SagaRepository.class).get();
    return await(() -> Panache.withSession(() -> sagas.findById(requestId)));
  }

  public static List<OutboxEvent> outbox(String requestId) {
    OutboxRepository outbox = Arc.container().instance(OutboxRepository.class).get();
    return await(() -> Panache.withSession(() -> outbox.list("requestId", requestId)));
  }

  /** A request refused by validation, recorded with its (unsent) failed event; its request id. */
  public static String refusedRequest(String prefix) {
    Arrivals arrivals = Arc.container().instance(Arrivals.class).get();
    String id = Requests.newRequestId(prefix);
    Violation violation = new Violation("attachment.type", ErrorCode.TYPE_UNSUPPORTED, "is 9");
    await(() -> arrivals.refuse(id, List.of(violation)));
    return id;
  }

  /** A valid request, recorded and waiting for its create call; its request id. */
  public static String acceptedRequest(String prefix, AttachmentSpec spec, String pskSealed) {
    Arrivals arrivals = Arc.container().instance(Arrivals.class).get();
    String id = Requests.newRequestId(prefix);
    if (!await(() -> arrivals.accept(id, spec, pskSealed))) {
      throw new IllegalStateException("request " + id + " was known already");
    }
    return id;
  }

  /**
   * Another transaction (another replica, another worker) moves the saga on and commits: its
   * version goes up and its last error reads {@code note}. Run it between a read and a write to
   * make that write lose the race.
   */
  public static Uni<Void> changedElsewhere(String requestId, String note) {
    Pool pool = Arc.container().instance(Pool.class).get();
    return pool.preparedQuery(
            "update provisioning_saga set version = version + 1, last_error = $2"
                + " where request_id = $1")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(requestId, note))
        .invoke(
            rows -> {
              if (rows.rowCount() != 1) {
                throw new IllegalStateException("no saga " + requestId);
              }
            })
        .replaceWithVoid();
  }

  /** The request's attachment was accepted by emnify at this very moment (its grace starts now). */
  public static void acceptedJustNow(String requestId) {
    Pool pool = Arc.container().instance(Pool.class).get();
    await(
        () ->
            pool.preparedQuery(
                    "update provisioning_saga set provisioning_at = now() where request_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(requestId))
                .replaceWithVoid());
  }

  /** Lets a create claim run out now, as it does when its worker hangs or dies mid-call. */
  public static void expireClaim(String requestId) {
    Pool pool = Arc.container().instance(Pool.class).get();
    await(
        () ->
            pool.preparedQuery(
                    "update provisioning_saga set lease_until = now() - interval '1 second'"
                        + " where request_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(requestId))
                .replaceWithVoid());
  }

  /**
   * Ends the hold after an authentication refusal, as if its time had passed: a second ago, since
   * the service compares it on its own clock (local time plus the measured offset to PostgreSQL's),
   * which can be a few ms behind {@code now()}.
   */
  public static void endAuthenticationHold() {
    Pool pool = Arc.container().instance(Pool.class).get();
    await(
        () ->
            pool.query("update emnify_authentication set held_until = now() - interval '1 second'")
                .execute()
                .replaceWithVoid());
  }

  /**
   * An empty database for a component test: no saga or event of an earlier test is due in its
   * passes, and no 429 of an earlier test still pauses the shared API budget.
   */
  public static void clear() {
    Pool pool = Arc.container().instance(Pool.class).get();
    await(
        () ->
            pool.query(
                    "delete from outbox_event; delete from provisioning_saga;"
                        + " delete from api_budget; delete from job_lease;"
                        + " delete from emnify_authentication")
                .execute()
                .replaceWithVoid());
  }
}
