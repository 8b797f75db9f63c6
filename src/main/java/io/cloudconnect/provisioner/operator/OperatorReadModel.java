package io.cloudconnect.provisioner.operator;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.emnify.ApiBudget;
import io.cloudconnect.provisioner.emnify.BreakerStates;
import io.cloudconnect.provisioner.persistence.SagaSearch;
import io.cloudconnect.provisioner.persistence.Transactions;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.SagaState;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators read: requests as views, counts, the overview. Read only; every answer is computed
 * at one instant, so a view's ages and the overview's figures agree with each other.
 */
@ApplicationScoped
class OperatorReadModel {

  /** One page of requests. */
  public record Page(
      List<RequestView> items, long total, int page, @JsonProperty("size") int size) {}

  private static final int OVERVIEW_LIST = 20;

  private final SagaSearch search;
  private final Transactions tx;
  private final ApiBudget budget;
  private final OrphanSweep sweep;
  private final DeadLetters deadLetters;
  private final CircuitBreakerMaintenance breakers;
  private final ProvisionerConfig config;
  private final Clock clock;

  OperatorReadModel(
      SagaSearch search,
      Transactions tx,
      ApiBudget budget,
      OrphanSweep sweep,
      DeadLetters deadLetters,
      CircuitBreakerMaintenance breakers,
      ProvisionerConfig config,
      Clock clock) {
    this.search = search;
    this.tx = tx;
    this.budget = budget;
    this.sweep = sweep;
    this.deadLetters = deadLetters;
    this.breakers = breakers;
    this.config = config;
    this.clock = clock;
  }

  Uni<Page> requests(RequestQuery.Params params) {
    Instant now = clock.instant();
    RequestQuery query = RequestQuery.of(params, now);
    return tx.read(() -> search.search(query.filter(), query.page(), query.size()))
        .map(
            found ->
                new Page(views(found.items(), now), found.total(), query.page(), query.size()));
  }

  /** The latest dead-lettered records, newest first. Blocking: reads the topic. */
  List<DeadLetters.Entry> deadLetters(int limit) {
    if (limit < 1 || limit > 500) {
      throw new BadRequestException("limit must be 1-500");
    }
    return deadLetters.latest(limit);
  }

  Uni<Map<String, Long>> counts() {
    return tx.read(search::countsByState).map(OperatorReadModel::byName);
  }

  /** One request as it is now; null when unknown. */
  Uni<RequestView> request(String requestId) {
    return tx.read(() -> search.byId(requestId))
        .map(saga -> saga == null ? null : RequestView.of(saga, clock.instant()));
  }

  /**
   * The budget is read first, on a connection of its own that is returned at once; only then is a
   * session opened for the three queries, one after the other (a reactive session runs one query at
   * a time). A session held while waiting for a second connection would let a handful of concurrent
   * overviews take the whole pool, each waiting for one more connection.
   */
  Uni<Overview> overview() {
    Instant now = clock.instant();
    Duration stuckAfter = config.operator().stuckAfter();
    return budgetNow(now)
        .chain(
            budgetNow ->
                tx.read(
                        () ->
                            search
                                .countsByState()
                                .map(Lists::new)
                                .chain(
                                    lists ->
                                        search
                                            .stuck(now.minus(stuckAfter), OVERVIEW_LIST)
                                            .map(lists::withStuck))
                                .chain(
                                    lists ->
                                        search
                                            .recentFailures(OVERVIEW_LIST)
                                            .map(lists::withFailures)))
                    .map(
                        lists ->
                            new Overview(
                                now,
                                byName(lists.counts()),
                                views(lists.stuck(), now),
                                stuckAfter.toSeconds(),
                                views(lists.failures(), now),
                                budgetNow,
                                BreakerStates.of(breakers),
                                sweep.lastReport().orElse(null))));
  }

  /** The overview's database part, filled one query at a time. */
  private record Lists(
      Map<SagaState, Long> counts, List<ProvisioningSaga> stuck, List<ProvisioningSaga> failures) {
    Lists(Map<SagaState, Long> counts) {
      this(counts, List.of(), List.of());
    }

    Lists withStuck(List<ProvisioningSaga> found) {
      return new Lists(counts, found, failures);
    }

    Lists withFailures(List<ProvisioningSaga> found) {
      return new Lists(counts, stuck, found);
    }
  }

  private Uni<Overview.Budget> budgetNow(Instant now) {
    return budget
        .snapshot(now)
        .map(
            b ->
                new Overview.Budget(
                    Math.floor(b.tokens() * 10) / 10,
                    b.burst(),
                    b.perWindow(),
                    b.windowSeconds(),
                    b.wanted(),
                    b.pausedUntil()));
  }

  private static List<RequestView> views(List<ProvisioningSaga> sagas, Instant now) {
    return sagas.stream().map(s -> RequestView.of(s, now)).toList();
  }

  private static Map<String, Long> byName(Map<SagaState, Long> counts) {
    Map<String, Long> named = new LinkedHashMap<>();
    counts.forEach((state, n) -> named.put(state.name(), n));
    return named;
  }
}
