package io.cloudconnect.emnify.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the emnify Cloud Connect API, run as its own HTTP server: by the tests (in their
 * JVM, so they can read its counts and inject faults), by {@code scripts/emnify-simulator.sh} for
 * local runs and dev mode, and by docker compose. It is never part of the service's artifact and
 * depends on nothing of the service. emnify's API is served under {@code /api/v1} as at emnify; the
 * simulator's own control surface under {@code /simulator/admin}.
 */
public final class EmnifySimulator implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final SimulatorState state;

  private EmnifySimulator(Vertx vertx, HttpServer server, SimulatorState state) {
    this.vertx = vertx;
    this.server = server;
    this.state = state;
  }

  /** {@code --host 127.0.0.1 --port 8089 --status-step 60s --rate-limits true} (the defaults). */
  public static void main(String[] args) throws Exception {
    SimulatorOptions options = SimulatorOptions.fromArgs(args);
    EmnifySimulator simulator = start(options);
    System.out.printf(
        "emnify simulator listening on http://%s:%d (status step %s, rate limits %s)%n",
        options.host(), simulator.port(), options.statusStep(), options.rateLimits());
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::closeQuietly));
  }

  public static EmnifySimulator start(SimulatorOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    SimulatorState state = new SimulatorState(options);
    Router router = Router.router(vertx);
    new ApiRoutes(state).register(router);
    AdminRoutes.register(router, state);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(options.port(), options.host())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new EmnifySimulator(vertx, server, state);
  }

  /** The API's base URL, as the service's {@code emnify.api-url} takes it. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.actualPort();
  }

  /** Fault injection and rate limiting, changeable at any time. */
  public SimulatorFaults faults() {
    return state.faults();
  }

  /** Requests received by an endpoint, e.g. {@code "POST /authenticate"}. */
  public long requests(String endpoint) {
    return state.requests(endpoint);
  }

  /** The names (lower case) of every request header the API has received. */
  public java.util.Set<String> headerNames() {
    return state.headerNames();
  }

  public Map<String, Long> requestCounts() {
    return state.requestCounts();
  }

  /** The regions the available_region call lists from now on. */
  public void offerRegions(List<String> regions) {
    state.regions(regions);
  }

  /** Every token issued so far is refused from now on (as if it had expired). */
  public void expireAllTokens() {
    state.expireAllTokens();
  }

  /**
   * The application token is revoked (as an operator does in emnify's portal) or valid again:
   * authenticate refuses it with an empty 401, and the third refusal in a row locks the account.
   */
  public void revokeApplicationToken(boolean revoked) {
    state.revokeApplicationToken(revoked);
  }

  /**
   * From now on the list pages (DOC-PAGE, with {@code X-Total-*} headers and a capped {@code
   * per_page}) or answers as emnify documents it (the whole list, paging ignored, no headers).
   */
  public void pagedList(boolean paged) {
    state.pagedList(paged);
  }

  /**
   * Makes the token's organisation a Master organisation with a child organisation {@code
   * childOrganisation} holding one attachment per description (in status Active): the unfiltered
   * list then shows only those (OAS-CC list operation). Returns the child attachments' ids.
   */
  public List<Long> masterWithChildAttachments(long childOrganisation, List<String> descriptions) {
    state.master(true);
    List<Long> ids = new ArrayList<>();
    for (String description : descriptions) {
      ids.add(seed("child site", description, childOrganisation, state.now().minusSeconds(3600)));
    }
    return ids;
  }

  /**
   * {@code count} other attachments of the own organisation, Active for an hour already (an
   * organisation that has been using Cloud Connect for a while). Returns their ids.
   */
  public List<Long> seedActiveAttachments(int count) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          seed(
              "existing site",
              "managed elsewhere",
              SimulatorState.OWN_ORGANISATION,
              state.now().minusSeconds(3600)));
    }
    return ids;
  }

  /**
   * {@code count} attachments of the own organisation that stay Pending AWS Activation (status 2),
   * each carrying the marker of request {@code requestIdPrefix + i}. Returns their ids, in order.
   */
  public List<Long> seedPendingAttachments(int count, String requestIdPrefix) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(
          seed(
              "pending site [sim:stuck]",
              "[ccp:" + requestIdPrefix + i + "]",
              SimulatorState.OWN_ORGANISATION,
              state.now()));
    }
    return ids;
  }

  /**
   * One static VPN attachment of the own organisation, created {@code age} ago (Active after three
   * status steps) with {@code description}: an attachment made outside the service, or one a lost
   * create left behind. Returns its id.
   */
  public long seedAttachment(String name, String description, java.time.Duration age) {
    return seed(name, description, SimulatorState.OWN_ORGANISATION, state.now().minus(age));
  }

  /** One static VPN attachment put in place directly, as if created at {@code createdAt}. */
  private long seed(String name, String description, long organisation, Instant createdAt) {
    long id = state.nextId();
    SimulatedAttachment attachment =
        new SimulatedAttachment(
            id,
            2,
            name + " " + id,
            description,
            "eu-west-1",
            "198.51.100." + (id % 250 + 1),
            List.of("10.200.0.0/16"),
            "seeded-psk-" + id,
            null,
            null,
            createdAt);
    attachment.organisationId = organisation;
    state.store(attachment);
    return id;
  }

  /** The attachments are deleted (left out of lists from now on). */
  public void delete(List<Long> ids) {
    Instant now = state.now();
    ids.forEach(id -> state.find(id).deletedAt = now);
  }

  /**
   * As started, whatever a test changed: no faults, emnify's rate limits and the list's shape as
   * configured at start, an Enterprise organisation, a valid application token. Attachments and
   * request counts are kept.
   */
  public void heal() {
    faults().clear();
    state.asStarted();
    enterprise();
    revokeApplicationToken(false);
  }

  /** The token's organisation is an Enterprise organisation again (its list shows its own). */
  public void enterprise() {
    state.master(false);
  }

  /** Ids of the attachments whose description contains {@code text}, deleted ones included. */
  public List<Long> attachmentIdsWith(String text) {
    return state.attachmentIdsWith(text);
  }

  /**
   * When the attachment whose description contains {@code text} became (or becomes) Active, as this
   * simulator's status clock has it; empty when there is none, or it never will be.
   */
  public java.util.Optional<Instant> activeSince(String text) {
    return state.attachmentIdsWith(text).stream()
        .findFirst()
        .map(state::find)
        .filter(a -> a.fate == SimulatedAttachment.Fate.NORMAL)
        .map(a -> a.createdAt.plus(state.options().statusStep().multipliedBy(3)));
  }

  /**
   * Attachments that still exist and carry {@code text} in their description: deleted ones and
   * those past their Deactivation Pending step are left out, as emnify's list leaves them out.
   */
  public List<Long> existingWith(String text) {
    return state.existingWith(text);
  }

  /** An existing attachment's status now (0 when it is gone or unknown). */
  public int statusOf(long id) {
    SimulatedAttachment a = state.find(id);
    return a == null || a.deleted(state.now())
        ? 0
        : a.statusAt(state.now(), state.options().statusStep());
  }

  /** The description of every attachment ever created, deleted ones included. */
  public List<String> descriptions() {
    return state.descriptions();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      // the JVM is going away anyway
    }
  }
}
