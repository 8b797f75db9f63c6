package io.cloudconnect.provisioner.persistence;

import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finders for sagas, named by what the flow needs from them. */
@ApplicationScoped
public class SagaRepository implements PanacheRepositoryBase<ProvisioningSaga, String> {

  /** How many inserts go to PostgreSQL in one round trip. */
  static final int INSERT_BATCH = 100;

  /**
   * Records new sagas (an intake batch), their inserts sent {@value #INSERT_BATCH} at a time
   * instead of one round trip each. Statement batching is on only here, for inserts: Hibernate
   * Reactive verifies only the first row count of a batched statement (3.2, {@code
   * SqlClientConnection.updateBatch}), so a batched versioned update that matched no row, because
   * another transaction changed the saga since it was read, would be lost without an error. What
   * the session holds pending is flushed first, unbatched, so that the batches carry these inserts
   * only.
   */
  public Uni<Void> insertAll(List<ProvisioningSaga> fresh) {
    if (fresh.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return getSession()
        .chain(
            session -> {
              // unset (null) means no batching; setBatchSize refuses null
              Integer set = session.getBatchSize();
              int before = set == null ? 0 : set;
              return session
                  .flush()
                  .invoke(() -> session.setBatchSize(INSERT_BATCH))
                  .chain(() -> session.persistAll(fresh.toArray()))
                  .chain(session::flush)
                  .eventually(() -> session.setBatchSize(before));
            });
  }

  private static final String DUE_FOR_CREATE =
      "select * from provisioning_saga where state = 'RECEIVED' and next_attempt_at <= ?1"
          + " order by next_attempt_at limit ?2 for update skip locked";

  /**
   * RECEIVED sagas whose create is due, locked (skipping rows another worker or replica holds) so
   * that no one else can claim the same rows until this transaction commits the claim.
   */
  public Uni<List<ProvisioningSaga>> lockDueForCreate(Instant now, int limit) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(DUE_FOR_CREATE, ProvisioningSaga.class)
                    .setParameter(1, now)
                    .setParameter(2, limit)
                    .getResultList());
  }

  public Uni<Boolean> anyDueForCreate(Instant now) {
    return find("state = ?1 and nextAttemptAt <= ?2", SagaState.RECEIVED, now)
        .firstResult()
        .map(saga -> saga != null);
  }

  /** Which of {@code requestIds} are recorded already (ids only, no sagas loaded). */
  public Uni<List<String>> knownIds(Collection<String> requestIds) {
    return getSession()
        .chain(
            session ->
                session
                    .createSelectionQuery(
                        "select requestId from ProvisioningSaga where requestId in ?1",
                        String.class)
                    .setParameter(1, requestIds)
                    .getResultList());
  }

  /**
   * The known request_ids among {@code requestIds}, each with the fingerprint of what it asked
   * (null for a request recorded before fingerprints).
   */
  public Uni<Map<String, String>> fingerprintsOf(Collection<String> requestIds) {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        "select s.request_id, f.fingerprint from provisioning_saga s left join"
                            + " request_fingerprint f on f.request_id = s.request_id where"
                            + " s.request_id in (?1)",
                        Object[].class)
                    .setParameter(1, requestIds)
                    .getResultList())
        .map(
            rows -> {
              Map<String, String> known = new HashMap<>();
              rows.forEach(row -> known.put((String) row[0], (String) row[1]));
              return known;
            });
  }

  /** Keeps what each newly recorded request asked (request_id to fingerprint). */
  public Uni<Void> rememberFingerprints(Map<String, String> fingerprints) {
    if (fingerprints.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    StringBuilder sql =
        new StringBuilder("insert into request_fingerprint (request_id, fingerprint) values ");
    List<Object> values = new ArrayList<>();
    fingerprints.forEach(
        (id, fingerprint) -> {
          sql.append(values.isEmpty() ? "" : ", ")
              .append("(?")
              .append(values.size() + 1)
              .append(", ?")
              .append(values.size() + 2)
              .append(')');
          values.add(id);
          values.add(fingerprint);
        });
    sql.append(" on conflict (request_id) do nothing");
    return getSession()
        .chain(
            session -> {
              var insert = session.createNativeQuery(sql.toString());
              for (int i = 0; i < values.size(); i++) {
                insert.setParameter(i + 1, values.get(i));
              }
              return insert.executeUpdate();
            })
        .replaceWithVoid();
  }

  public Uni<List<ProvisioningSaga>> findAllById(Collection<String> requestIds) {
    return list("requestId in ?1", requestIds);
  }

  /**
   * The requests (create or adopt, newest first) that hold attachment {@code attachmentId}: a
   * delete request naming the attachment, an adopt request that would manage it twice.
   */
  public Uni<List<ProvisioningSaga>> holdersOf(long attachmentId) {
    return list(
        "attachmentId = ?1 and kind <> ?2 order by receivedAt desc",
        attachmentId,
        RequestKind.DELETE);
  }

  /** Requests (create or adopt) holding any of {@code attachmentIds}. */
  public Uni<List<ProvisioningSaga>> heldAttachments(Collection<Long> attachmentIds) {
    return list("attachmentId in ?1 and kind <> ?2", attachmentIds, RequestKind.DELETE);
  }

  /** Delete requests waiting for {@code targetRequestId}'s attachment to be gone. */
  public Uni<List<ProvisioningSaga>> awaiting(String targetRequestId) {
    return list("state = ?1 and targetRequestId = ?2", SagaState.AWAITING_REMOVAL, targetRequestId);
  }

  /** Delete requests still waiting past their deadline. */
  public Uni<List<ProvisioningSaga>> overdueDeletes(Instant now, int limit) {
    return find("state = ?1 and deadlineAt < ?2", SagaState.AWAITING_REMOVAL, now)
        .page(0, limit)
        .list();
  }

  /**
   * Everything between the create call and an outcome: accepted attachments, ambiguous creates,
   * creates whose worker's lease ran out (it crashed or hung mid-call), and attachments being
   * removed.
   */
  public Uni<List<ProvisioningSaga>> inFlight(
      Instant now, Instant afterReceivedAt, String afterRequestId, int limit) {
    // read only: a cycle over 10,000 in flight would otherwise keep a snapshot of each for dirty
    // checking, twice the memory and the time (changes go through the application services' own
    // loads);
    // a page at a time, after the last one read (receivedAt, requestId), so that memory stays
    // bounded however many are in flight
    return getSession()
        .chain(
            session ->
                session
                    .createSelectionQuery(
                        "from ProvisioningSaga where (state in ?1"
                            + " or (state = ?2 and lease.until < ?3))"
                            + " and (receivedAt > ?4 or (receivedAt = ?4 and requestId > ?5))"
                            + " order by receivedAt, requestId",
                        ProvisioningSaga.class)
                    .setParameter(
                        1,
                        List.of(
                            SagaState.PROVISIONING, SagaState.CREATE_UNKNOWN, SagaState.REMOVING))
                    .setParameter(2, SagaState.CREATING)
                    .setParameter(3, now)
                    .setParameter(4, afterReceivedAt)
                    .setParameter(5, afterRequestId)
                    .setMaxResults(limit)
                    .setReadOnly(true)
                    .getResultList());
  }
}
