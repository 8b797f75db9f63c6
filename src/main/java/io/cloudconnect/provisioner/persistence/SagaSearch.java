package io.cloudconnect.provisioner.persistence;

import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The operator API's reads of the sagas: search with paging, counts, stuck and recent failures. */
@ApplicationScoped
public class SagaSearch {

  /** What an operator searches by; every field optional. */
  public record Filter(
      List<SagaState> states,
      FailureReason reason,
      RequestKind kind,
      Long attachmentId,
      Instant receivedBefore,
      String requestIdPrefix) {}

  private final SagaRepository sagas;

  SagaSearch(SagaRepository sagas) {
    this.sagas = sagas;
  }

  /** One request; null when unknown. */
  public Uni<ProvisioningSaga> byId(String requestId) {
    return sagas.findById(requestId);
  }

  /** One page of the requests matching {@code filter}, newest first, and how many match. */
  public Uni<Result> search(Filter filter, int page, int size) {
    List<String> where = new ArrayList<>();
    Parameters params = new Parameters();
    if (filter.states() != null && !filter.states().isEmpty()) {
      where.add("state in :states");
      params.and("states", filter.states());
    }
    if (filter.reason() != null) {
      where.add("failureReason = :reason");
      params.and("reason", filter.reason());
    }
    if (filter.kind() != null) {
      where.add("kind = :kind");
      params.and("kind", filter.kind());
    }
    if (filter.attachmentId() != null) {
      where.add("attachmentId = :attachment");
      params.and("attachment", filter.attachmentId());
    }
    if (filter.receivedBefore() != null) {
      where.add("receivedAt < :before");
      params.and("before", filter.receivedBefore());
    }
    if (filter.requestIdPrefix() != null && !filter.requestIdPrefix().isBlank()) {
      where.add("requestId like :prefix escape '!'");
      params.and("prefix", escapeLike(filter.requestIdPrefix()) + "%");
    }
    String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
    var found = sagas.find(query, Sort.descending("receivedAt"), params).page(Page.of(page, size));
    return found.list().chain(items -> found.count().map(total -> new Result(items, total)));
  }

  public record Result(List<ProvisioningSaga> items, long total) {}

  /** How many requests are in each state (every state listed, zero included). */
  public Uni<Map<SagaState, Long>> countsByState() {
    return sagas
        .getSession()
        .chain(
            session ->
                session
                    .createSelectionQuery(
                        "select state, count(*) from ProvisioningSaga group by state",
                        Object[].class)
                    .getResultList())
        .map(
            rows -> {
              Map<SagaState, Long> counts = new EnumMap<>(SagaState.class);
              for (SagaState state : SagaState.values()) {
                counts.put(state, 0L);
              }
              rows.forEach(row -> counts.put((SagaState) row[0], (Long) row[1]));
              return counts;
            });
  }

  /** Open requests received before {@code before}, oldest first: what is stuck. */
  public Uni<List<ProvisioningSaga>> stuck(Instant before, int limit) {
    return sagas
        .find(
            "state not in :settled and receivedAt < :before",
            Sort.ascending("receivedAt"),
            Parameters.with(
                    "settled", List.of(SagaState.READY, SagaState.FAILED, SagaState.DELETED))
                .and("before", before))
        .page(Page.ofSize(limit))
        .list();
  }

  /** The latest failures, newest first. */
  public Uni<List<ProvisioningSaga>> recentFailures(int limit) {
    return sagas
        .find("state", Sort.descending("failedAt"), SagaState.FAILED)
        .page(Page.ofSize(limit))
        .list();
  }

  private static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
