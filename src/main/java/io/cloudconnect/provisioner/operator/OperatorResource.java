package io.cloudconnect.provisioner.operator;

import static io.cloudconnect.provisioner.access.Roles.OPERATOR;
import static io.cloudconnect.provisioner.access.Roles.PSK_READER;
import static io.cloudconnect.provisioner.access.Roles.VIEWER;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cloudconnect.provisioner.config.ProvisionerConfig;
import io.cloudconnect.provisioner.emnify.ApiBudget;
import io.cloudconnect.provisioner.persistence.OutboxRepository;
import io.cloudconnect.provisioner.persistence.SagaSearch;
import io.cloudconnect.provisioner.polling.StatusPoller;
import io.cloudconnect.provisioner.provisioning.OperatorActions;
import io.cloudconnect.provisioner.removal.OrphanSweep;
import io.cloudconnect.provisioner.saga.FailureReason;
import io.cloudconnect.provisioner.saga.ProvisioningSaga;
import io.cloudconnect.provisioner.saga.RequestKind;
import io.cloudconnect.provisioner.saga.SagaState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator API (docs/OPERATIONS.md): read with role {@code viewer} (or {@code operator}), act
 * with role {@code operator}, read a generated PSK once with role {@code psk-reader} (role names
 * are settings, see {@link io.cloudconnect.provisioner.access.Roles}). Every action takes a reason
 * and writes one audit line. Authentication is Quarkus' (OIDC bearer tokens, see
 * application.properties); this class only names the roles.
 */
@Path("/operator")
@Produces(MediaType.APPLICATION_JSON)
public class OperatorResource {

  /** The deepest page a search reaches: page times size stays far inside an int. */
  static final int MAX_PAGE = 100_000;

  /** The oldest {@code older_than} a search takes (requests are kept far shorter). */
  static final Duration LONGEST_AGE = Duration.ofDays(3650);

  /** An action's body: why the operator does it. */
  public record Reason(String reason) {}

  /** A dead-lettered record to replay, and why. */
  public record Replay(int partition, long offset, String reason) {}

  /** One page of requests. */
  public record Page(
      List<RequestView> items, long total, int page, @JsonProperty("size") int size) {}

  /** The answer to an action. */
  public record Done(String action, String target, String result) {}

  /** The one-time PSK answer. */
  public record PresharedKey(
      @JsonProperty("request_id") String requestId,
      @JsonProperty("attachment_id") long attachmentId,
      String psk) {}

  private final SagaSearch search;
  private final OperatorActions steps;
  private final StatusPoller poller;
  private final OutboxRepository outbox;
  private final ApiBudget budget;
  private final OrphanSweep sweep;
  private final DeadLetters deadLetters;
  private final PskRetrieval psk;
  private final CircuitBreakerMaintenance breakers;
  private final ProvisionerConfig config;
  private final SecurityIdentity identity;
  private final Clock clock;

  OperatorResource(
      SagaSearch search,
      OperatorActions steps,
      StatusPoller poller,
      OutboxRepository outbox,
      ApiBudget budget,
      OrphanSweep sweep,
      DeadLetters deadLetters,
      PskRetrieval psk,
      CircuitBreakerMaintenance breakers,
      ProvisionerConfig config,
      SecurityIdentity identity,
      Clock clock) {
    this.search = search;
    this.steps = steps;
    this.poller = poller;
    this.outbox = outbox;
    this.budget = budget;
    this.sweep = sweep;
    this.deadLetters = deadLetters;
    this.psk = psk;
    this.breakers = breakers;
    this.config = config;
    this.identity = identity;
    this.clock = clock;
  }

  // --- reading -----------------------------------------------------------------------------

  @GET
  @Path("/requests")
  @RolesAllowed({VIEWER, OPERATOR})
  @WithSession
  public Uni<Page> requests(
      @QueryParam("state") String states,
      @QueryParam("reason") String reason,
      @QueryParam("action") String action,
      @QueryParam("attachment_id") Long attachmentId,
      @QueryParam("older_than") String olderThan,
      @QueryParam("q") String prefix,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    if (page < 0 || page > MAX_PAGE || size < 1 || size > 500) {
      throw new BadRequestException("page must be 0-" + MAX_PAGE + " and size 1-500");
    }
    Instant now = clock.instant();
    SagaSearch.Filter filter =
        new SagaSearch.Filter(
            states(states),
            parse(reason, FailureReason.class, "reason"),
            parse(action, RequestKind.class, "action"),
            attachmentId,
            olderThan == null ? null : now.minus(duration(olderThan)),
            prefix);
    return search
        .search(filter, page, size)
        .map(
            found ->
                new Page(
                    found.items().stream().map(s -> RequestView.of(s, now)).toList(),
                    found.total(),
                    page,
                    size));
  }

  @GET
  @Path("/requests/counts")
  @RolesAllowed({VIEWER, OPERATOR})
  @WithSession
  public Uni<Map<String, Long>> counts() {
    return search.countsByState().map(OperatorResource::byName);
  }

  @GET
  @Path("/requests/{id}")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<RequestView> request(@PathParam("id") String id) {
    return steps
        .find(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("no request " + id))
        .map(s -> RequestView.of(s, clock.instant()));
  }

  /**
   * The budget is read first, on a connection of its own that is returned at once; only then is a
   * session opened for the three queries. A session held while waiting for a second connection
   * would let a handful of concurrent overviews take the whole pool, each waiting for one more
   * connection.
   */
  @GET
  @Path("/overview")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<Overview> overview() {
    Instant now = clock.instant();
    Duration stuckAfter = config.operator().stuckAfter();
    return budgetNow(now)
        .chain(
            b ->
                Panache.withSession(
                    () ->
                        search
                            .countsByState()
                            .chain(
                                counts ->
                                    search
                                        .stuck(now.minus(stuckAfter), 20)
                                        .chain(
                                            stuck ->
                                                search
                                                    .recentFailures(20)
                                                    .map(
                                                        failures ->
                                                            new Overview(
                                                                now,
                                                                byName(counts),
                                                                views(stuck, now),
                                                                stuckAfter.toSeconds(),
                                                                views(failures, now),
                                                                b,
                                                                breakerStates(),
                                                                sweep
                                                                    .lastReport()
                                                                    .orElse(null)))))));
  }

  private static List<RequestView> views(List<ProvisioningSaga> sagas, Instant now) {
    return sagas.stream().map(s -> RequestView.of(s, now)).toList();
  }

  @GET
  @Path("/dead-letters")
  @RolesAllowed({VIEWER, OPERATOR})
  public List<DeadLetters.Entry> deadLetters(@QueryParam("limit") @DefaultValue("20") int limit) {
    if (limit < 1 || limit > 500) {
      throw new BadRequestException("limit must be 1-500");
    }
    return deadLetters.latest(limit);
  }

  // --- acting ------------------------------------------------------------------------------

  @POST
  @Path("/requests/{id}/cancel")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(OPERATOR)
  public Uni<Response> cancel(@PathParam("id") String id, Reason body) {
    String reason = reason(body);
    String who = who();
    return asItIsNow(() -> steps.cancel(id, "an operator"))
        .map(
            refused -> {
              Audit.record(who, "cancel", id, reason, refused.isEmpty() ? "ok" : "refused");
              return refused.isEmpty()
                  ? Response.accepted(new Done("cancel", id, "cancelling")).build()
                  : problem(409, refused.get());
            });
  }

  @POST
  @Path("/requests/{id}/recheck")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(OPERATOR)
  public Uni<Response> recheck(@PathParam("id") String id, Reason body) {
    String reason = reason(body);
    String who = who();
    return asItIsNow(() -> recheckNow(id, reason, who));
  }

  /**
   * An operator's act on a request that the service's own passes (the create lane, the poller) may
   * record in between: a lost version race makes the act again on the request as it is now, rather
   * than answering 500 (both seen in CI, for a recheck and for a cancel).
   */
  private static <T> Uni<T> asItIsNow(java.util.function.Supplier<Uni<? extends T>> act) {
    return Uni.createFrom()
        .<T>deferred(act)
        .onFailure(jakarta.persistence.OptimisticLockException.class)
        .retry()
        .atMost(3);
  }

  private Uni<Response> recheckNow(String id, String reason, String who) {
    return steps
        .find(id)
        .chain(
            saga -> {
              if (saga == null) {
                Audit.record(who, "recheck", id, reason, "unknown");
                return Uni.createFrom().item(problem(404, "no request " + id));
              }
              return poller
                  .recheck(saga)
                  .chain(() -> steps.find(id))
                  .map(
                      after -> {
                        Audit.record(who, "recheck", id, reason, "ok");
                        return Response.ok(RequestView.of(after, clock.instant())).build();
                      });
            });
  }

  @POST
  @Path("/requests/{id}/republish")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(OPERATOR)
  public Uni<Response> republish(@PathParam("id") String id, Reason body) {
    String reason = reason(body);
    String who = who();
    return outbox
        .republish(id)
        .map(
            done -> {
              Audit.record(who, "republish", id, reason, done ? "ok" : "no-event");
              return done
                  ? Response.accepted(new Done("republish", id, "queued with the same ce_id"))
                      .build()
                  : problem(409, "request " + id + " has no outcome event (yet)");
            });
  }

  @POST
  @Path("/dead-letters/replay")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(OPERATOR)
  public Response replay(Replay body) {
    if (body == null) {
      throw new BadRequestException("a body {partition, offset, reason} is required");
    }
    String reason = reason(new Reason(body.reason()));
    String target = "partition " + body.partition() + " offset " + body.offset();
    Optional<DeadLetters.Entry> replayed;
    try {
      replayed = deadLetters.replay(body.partition(), body.offset());
    } catch (DeadLetters.Unopenable e) {
      Audit.record(who(), "replay", target, reason, "key-unopenable");
      return problem(409, e.getMessage());
    }
    Audit.record(who(), "replay", target, reason, replayed.isPresent() ? "ok" : "not-found");
    return replayed
        .map(e -> Response.accepted(e).build())
        .orElseGet(() -> problem(404, "no dead-lettered record at " + target));
  }

  @POST
  @Path("/sweep")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(OPERATOR)
  public Uni<OrphanSweep.Report> sweepNow(Reason body) {
    String reason = reason(body);
    String who = who();
    return sweep
        .sweepNow()
        .invoke(
            r ->
                Audit.record(
                    who, "sweep", "organisation", reason, r.orphans().size() + " orphans"));
  }

  /** The PSK emnify generated, once, never stored or logged ({@link PskRetrieval}). */
  @POST
  @Path("/requests/{id}/psk")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(PSK_READER)
  public Uni<Response> presharedKey(@PathParam("id") String id, Reason body) {
    String reason = reason(body);
    String who = who();
    return psk.read(id, who)
        .map(
            outcome -> {
              Audit.record(
                  who, "psk-read", id, reason, outcome.psk().isPresent() ? "ok" : "refused");
              if (outcome.psk().isEmpty()) {
                return problem(outcome.status(), outcome.problem());
              }
              return Response.ok(
                      new PresharedKey(id, outcome.attachmentId(), outcome.psk().get().reveal()))
                  .header("Cache-Control", "no-store")
                  .build();
            });
  }

  // --- helpers -----------------------------------------------------------------------------

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

  private Map<String, String> breakerStates() {
    return io.cloudconnect.provisioner.health.BreakerStates.of(breakers);
  }

  private String who() {
    return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
  }

  private static String reason(Reason body) {
    if (body == null || body.reason() == null || body.reason().isBlank()) {
      throw new BadRequestException("a reason is required: {\"reason\": \"...\"}");
    }
    return body.reason();
  }

  private static Response problem(int status, String detail) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("status", status, "detail", detail))
        .build();
  }

  private static Map<String, Long> byName(Map<SagaState, Long> counts) {
    Map<String, Long> named = new LinkedHashMap<>();
    counts.forEach((state, n) -> named.put(state.name(), n));
    return named;
  }

  private static List<SagaState> states(String states) {
    if (states == null || states.isBlank()) {
      return List.of();
    }
    return Arrays.stream(states.split(","))
        .map(s -> parse(s.trim(), SagaState.class, "state"))
        .toList();
  }

  private static <E extends Enum<E>> E parse(String value, Class<E> type, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          name + " must be one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  private static Duration duration(String text) {
    Duration duration;
    try {
      duration = Duration.parse(text.startsWith("P") ? text : "PT" + text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new BadRequestException("older_than must be a duration such as 10m or PT2H");
    }
    if (duration.isNegative() || duration.compareTo(LONGEST_AGE) > 0) {
      throw new BadRequestException(
          "older_than must be between 0 and " + LONGEST_AGE.toDays() + "d");
    }
    return duration;
  }
}
