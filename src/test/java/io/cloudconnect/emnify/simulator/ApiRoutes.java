package io.cloudconnect.emnify.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * emnify's Cloud Connect API as the simulator serves it, following emnify's published API rather
 * than the service's code. Sources, cited next to each behaviour:
 *
 * <ul>
 *   <li>OAS-CC: emnify's OpenAPI, {@code api-evangelist/emnify}
 *       openapi/emnify-subpackage-cloudconnect-api-openapi.yml
 *   <li>OAS-AUTH: the same repository's openapi/_original/emnify-api-openapi.yml, authenticate
 *   <li>OAS-ORG: the same repository's openapi/emnify-subpackage-organization-api-openapi.yml
 *   <li>DOC-ERR, DOC-PAGE, DOC-RATE: docs.emnify.com/developers/api-guidelines/errors,
 *       /collections-pagination, /rate-limits
 * </ul>
 */
final class ApiRoutes {
  static final String API = "/api/v1";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PSK = Pattern.compile("[A-Za-z0-9._]{8,64}");
  private static final String LOSE_RESPONSE = "simulator.lose-response";

  private final SimulatorState state;

  ApiRoutes(SimulatorState state) {
    this.state = state;
  }

  void register(Router router) {
    router.route(API + "/*").handler(BodyHandler.create().setBodyLimit(1 << 20));
    // what a client tells emnify about itself beyond the call (trace context, for one)
    router
        .route(API + "/*")
        .handler(
            ctx -> {
              state.sawHeaders(ctx.request().headers().names());
              ctx.next();
            });
    router
        .post(API + "/authenticate")
        .handler(guarded("POST /authenticate", false, this::authenticate));
    router
        .post(API + "/cnc/breakout/vpn")
        .handler(guarded("POST /cnc/breakout/vpn", true, this::create));
    router
        .get(API + "/cnc/breakout/:id")
        .handler(guarded("GET /cnc/breakout/{id}", true, this::get));
    router.get(API + "/cnc/breakout").handler(guarded("GET /cnc/breakout", true, this::list));
    router
        .get(API + "/organisation/my")
        .handler(guarded("GET /organisation/my", true, this::myOrganisation));
    router
        .delete(API + "/cnc/breakout/:id")
        .handler(guarded("DELETE /cnc/breakout/{id}", true, this::delete));
    router
        .get(API + "/cnc/breakout_type/:type/available_region")
        .handler(guarded("GET /cnc/breakout_type/{id}/available_region", true, this::regions));
  }

  /**
   * OAS-AUTH: 400 for a malformed body; 401 with an empty body for most refusals; after three
   * failed attempts in a row the account is locked for 5 minutes, answered 401 with a body naming
   * {@code TooManyRequests}, the right token included.
   */
  private void authenticate(RoutingContext ctx) {
    JsonNode body = body(ctx);
    String token = body == null ? null : body.path("application_token").asText(null);
    if (token == null) {
      error(ctx.response(), 400, 400, "BadRequest", "application_token is required", List.of());
    } else if (state.lockedOut()) {
      error(
          ctx.response(),
          401,
          1105,
          "TooManyRequests",
          "Too many failed login attempts; try again later",
          List.of());
    } else if (!state.acceptsApplicationToken(token)) {
      state.authenticationFailed();
      ctx.response().setStatusCode(401).end();
    } else {
      state.authenticationSucceeded();
      json(ctx.response(), 200, JSON.createObjectNode().put("auth_token", state.issueToken()));
    }
  }

  private void create(RoutingContext ctx) {
    JsonNode body = body(ctx);
    if (body == null || !body.isObject()) {
      // OAS-CC create: 400 for a malformed body
      error(ctx.response(), 400, 400, "BadRequest", "Malformed request body", List.of());
      return;
    }
    List<ObjectNode> errors = createErrors(body);
    if (!errors.isEmpty()) {
      // DOC-ERR: invalid input is 422 InputValidationFailed (1400) with nested errors
      error(ctx.response(), 422, 1400, "InputValidationFailed", "Validation failed", errors);
      return;
    }
    String name = body.path("name").asText();
    if (name.contains("[sim:reject]")) {
      // OAS-CC create lists 400 for a request emnify will not take
      error(
          ctx.response(),
          400,
          400,
          "BadRequest",
          "The public IP is already used by another attachment",
          List.of());
      return;
    }
    if (name.contains("[sim:forbidden]")) {
      // OAS-CC create lists 403; DOC-ERR: 1104 Forbidden
      error(ctx.response(), 403, 1104, "Forbidden", "Forbidden", List.of());
      return;
    }
    if (name.contains("[sim:conflict]")) {
      // DOC-ERR: resource conflicts are 409
      error(ctx.response(), 409, 409, "Conflict", "Conflicts with an existing resource", List.of());
      return;
    }
    if (name.contains("[sim:echo-psk-long]")) {
      // a long error text that quotes the PSK across the point where a client might cut it
      error(
          ctx.response(),
          400,
          400,
          "BadRequest",
          "x".repeat(470) + " invalid psk '" + body.path("psk").asText() + "'",
          List.of());
      return;
    }
    if (name.contains("[sim:echo-psk]")) {
      // some APIs quote the offending value; the service must redact it before it goes anywhere
      error(
          ctx.response(),
          400,
          400,
          "BadRequest",
          "Invalid psk '" + body.path("psk").asText() + "'",
          List.of());
      return;
    }
    long id = state.nextId();
    boolean loseResponse = Boolean.TRUE.equals(ctx.get(LOSE_RESPONSE));
    state.store(
        new SimulatedAttachment(
            id,
            body.path("type").path("id").asInt(),
            name,
            textOrNull(body, "description"),
            textOrNull(body, "region"),
            body.path("public_ip").asText(),
            strings(body.get("on_prem_cidr")),
            body.hasNonNull("psk") && !body.path("psk").asText().isEmpty()
                ? body.path("psk").asText()
                : "generated_" + Long.toHexString(id * 7919),
            body.hasNonNull("asn") ? body.path("asn").asLong() : null,
            body.has("inside_cidr") ? strings(body.get("inside_cidr")) : null,
            state.now()));
    if (loseResponse) {
      ctx.request().connection().close(); // created, but the client never hears of it
      return;
    }
    if (state.faults().stripsLocation()) {
      ctx.response().setStatusCode(201).end();
      return;
    }
    String base = ctx.request().scheme() + "://" + ctx.request().authority() + API;
    ctx.response().setStatusCode(201).putHeader("Location", base + "/cnc/breakout/" + id).end();
  }

  /** The checks emnify's create applies to the body's shape (not our stricter validation). */
  private static List<ObjectNode> createErrors(JsonNode body) {
    List<ObjectNode> errors = new ArrayList<>();
    JsonNode type = body.path("type");
    if (!type.isObject() || !(type.path("id").asInt() == 2 || type.path("id").asInt() == 3)) {
      errors.add(fieldError("type", "must be an object {\"id\": 2} or {\"id\": 3}"));
    }
    if (!body.path("name").isTextual() || body.path("name").asText().isBlank()) {
      errors.add(fieldError("name", "is required"));
    }
    if (!body.path("public_ip").isTextual()) {
      errors.add(fieldError("public_ip", "is required"));
    }
    JsonNode cidrs = body.path("on_prem_cidr");
    if (!cidrs.isArray() || cidrs.isEmpty() || cidrs.size() > 3) {
      errors.add(fieldError("on_prem_cidr", "must list 1 to 3 CIDR blocks"));
    }
    if (body.hasNonNull("psk")
        && !body.path("psk").asText().isEmpty()
        && (!PSK.matcher(body.path("psk").asText()).matches()
            || body.path("psk").asText().startsWith("0"))) {
      errors.add(fieldError("psk", "is not a valid pre-shared key")); // never echo it
    }
    return errors;
  }

  private void get(RoutingContext ctx) {
    SimulatedAttachment attachment = attachment(ctx);
    if (attachment == null) {
      error(ctx.response(), 404, 1201, "NotFound", "Cloud Connect attachment not found", List.of());
      return;
    }
    ArrayNode array = JSON.createArrayNode();
    array.add(view(attachment, true));
    json(ctx.response(), 200, array);
  }

  /**
   * OAS-ORG (my-organisation-get): the token's own organisation; ids as integers, type and class
   * ids as the schema gives them.
   */
  private void myOrganisation(RoutingContext ctx) {
    ObjectNode organisation =
        JSON.createObjectNode()
            .put("id", SimulatorState.OWN_ORGANISATION)
            .put(
                "name", state.master() ? "Simulated Master organisation" : "Simulated organisation")
            .put("organisation_type_id", state.master() ? "2" : "4")
            .put("organisation_status_id", "1")
            .put("organisation_class_id", 1)
            .put("country_id", "74")
            .put("currency_id", 1);
    json(ctx.response(), 200, organisation);
  }

  /**
   * OAS-CC list (operation get-cloud-connect-attachments): filters {@code status}, {@code type} and
   * {@code organisation}; a Master organisation's unfiltered list shows its direct child
   * organisations' attachments. The operation documents no paging, so by default the whole list is
   * one answer: {@code page} and {@code per_page} are ignored and no paging header is sent. Paged
   * is an option (DOC-PAGE, as emnify's large collections do).
   */
  private void list(RoutingContext ctx) {
    Integer status = intParam(ctx, "status");
    Integer organisationParam = intParam(ctx, "organisation");
    Long organisation = organisationParam == null ? null : organisationParam.longValue();
    Integer type = intParam(ctx, "type");
    Instant now = state.now();
    List<SimulatedAttachment> matching =
        state.all().stream()
            .filter(a -> !a.deleted(now))
            .filter(a -> state.listed(a, organisation))
            .filter(a -> !now.isBefore(a.createdAt.plus(state.faults().listDelay())))
            .filter(a -> type == null || a.type == type)
            .filter(a -> status == null || a.statusAt(now, state.options().statusStep()) == status)
            .toList();
    ArrayNode array = JSON.createArrayNode();
    if (!state.pagedList()) {
      matching.forEach(a -> array.add(view(a, false)));
      json(ctx.response(), 200, array);
      return;
    }
    // DOC-PAGE: per_page below 1 means the default, too large is set to the maximum (emnify
    // publishes no maximum for this list: an option, 1000 by default); page below 1 is the first
    int cap = state.options().perPageCap();
    int askedPerPage = valueOr(intParam(ctx, "per_page"), cap);
    int perPage = askedPerPage < 1 ? cap : Math.min(cap, askedPerPage);
    int asked = valueOr(intParam(ctx, "page"), 1);
    int total = matching.size();
    int pages = Math.max(1, (total + perPage - 1) / perPage);
    int page = Math.min(pages, Math.max(1, asked)); // DOC-PAGE: past the last page, the last page
    matching.stream()
        .skip((long) (page - 1) * perPage)
        .limit(perPage)
        .forEach(a -> array.add(view(a, false)));
    ctx.response()
        .putHeader("X-Total-Count", String.valueOf(total))
        .putHeader("X-Total-Pages", String.valueOf(pages))
        .putHeader("X-Current-Page", String.valueOf(page))
        .putHeader("X-Count-Per-Page", String.valueOf(perPage));
    json(ctx.response(), 200, array);
  }

  private void delete(RoutingContext ctx) {
    SimulatedAttachment attachment = attachment(ctx);
    if (attachment == null) {
      error(ctx.response(), 404, 1201, "NotFound", "Cloud Connect attachment not found", List.of());
      return;
    }
    int status = attachment.statusAt(state.now(), state.options().statusStep());
    if (status == 7 || status == 8) {
      error(
          ctx.response(),
          409,
          409,
          "Conflict",
          "Attachments in status " + status + " cannot be deleted",
          List.of());
      return;
    }
    // OAS-CC list: "Deleted attachments are left out"; status 6 Deactivation Pending is the way
    // out (OAS-CC status list): one status step in 6, then gone. A second delete while in 6 is
    // accepted again and changes nothing.
    if (attachment.deleteAcceptedAt == null) {
      Instant now = state.now();
      attachment.deleteAcceptedAt = now;
      attachment.deletedAt = now.plus(state.options().statusStep());
    }
    ctx.response().setStatusCode(200).end();
  }

  private void regions(RoutingContext ctx) {
    ArrayNode array = JSON.createArrayNode();
    // OAS-CC available_region: an array of {attachment_region, device_breakout_region}
    // (schema CloudConnectAvailableRegion)
    state
        .regions()
        .forEach(
            r ->
                array.add(
                    JSON.createObjectNode()
                        .put("attachment_region", r)
                        .put("device_breakout_region", r)));
    json(ctx.response(), 200, array);
  }

  private ObjectNode view(SimulatedAttachment a, boolean details) {
    int status = a.statusAt(state.now(), state.options().statusStep());
    ObjectNode node = JSON.createObjectNode();
    node.put("id", a.id).put("name", a.name).put("description", a.description).put("user_id", 1);
    node.put("creation_date", a.createdAt.toString()).putNull("termination_date");
    node.put("aws_vpn_connection_id", "vpn-" + Long.toHexString(a.id * 104729));
    node.putObject("status")
        .put("id", status)
        .put("description", SimulatedAttachment.STATUS[status]);
    node.putObject("type").put("id", a.type).put("description", SimulatedAttachment.TYPE[a.type]);
    node.put("region", a.region);
    if (details && status == 5) {
      ObjectNode tunnel = node.putObject("tunnel_information");
      tunnel.put("public_ip", a.publicIp).put("outside_address", a.outsideAddress);
      tunnel.put(
          "inside_cidr",
          a.insideCidr == null || a.insideCidr.isEmpty() ? "169.254.10.0/30" : a.insideCidr.get(0));
      tunnel.put("psk", a.psk); // emnify shows it; the service must not pass it on
      if (a.asn != null) {
        tunnel.put("asn", a.asn);
      }
      // OAS-CC tunnel_information.metrics: tunnel_state, and bytes_in / bytes_out as objects
      ObjectNode metrics = tunnel.putObject("metrics").put("tunnel_state", "UP");
      metrics.putObject("bytes_in");
      metrics.putObject("bytes_out");
    }
    return node;
  }

  /**
   * Counts the request, then lets the fault settings decide its fate before the token is checked
   * and the handler runs: outage (503), rate limit (429; DOC-RATE documents no Retry-After, so it
   * is sent only when a test asks for it), reset, no answer, 5xx, or (for create) a lost response.
   */
  private Handler<RoutingContext> guarded(
      String endpoint, boolean needsToken, Handler<RoutingContext> handler) {
    boolean authentication = !needsToken;
    return ctx -> {
      state.count(endpoint);
      Instant now = state.now();
      SimulatorFaults faults = state.faults();
      switch (faults.judge(endpoint, authentication, now)) {
        case OUTAGE ->
            error(ctx.response(), 503, 503, "ServiceUnavailable", "Service Unavailable", List.of());
        case THROTTLE -> {
          if (faults.sendsRetryAfter()) {
            ctx.response()
                .putHeader(
                    "Retry-After", String.valueOf(faults.retryAfterSeconds(authentication, now)));
          }
          error(ctx.response(), 429, 1105, "TooManyRequests", "Too Many Requests", List.of());
        }
        case RESET -> ctx.request().connection().close();
        case DROP -> {} // never answered: the client's timeout decides
        case ERROR ->
            error(
                ctx.response(),
                500 + 2 * ThreadLocalRandom.current().nextInt(2),
                500,
                "InternalServerError",
                "Internal Server Error",
                List.of());
        case LOSE_CREATE_RESPONSE -> {
          ctx.put(LOSE_RESPONSE, Boolean.TRUE);
          afterLatency(ctx, endpoint, needsToken, handler);
        }
        case HANG -> {
          long hold = Math.max(1, faults.hold(endpoint).toMillis());
          boolean done = ThreadLocalRandom.current().nextBoolean();
          ctx.vertx()
              .setTimer(
                  hold,
                  t -> {
                    if (done) { // the work is done, the answer never arrives
                      ctx.put(LOSE_RESPONSE, Boolean.TRUE);
                      answer(ctx, needsToken, handler);
                    } else {
                      ctx.request().connection().close();
                    }
                  });
        }
        case PASS -> afterLatency(ctx, endpoint, needsToken, handler);
      }
    };
  }

  private void afterLatency(
      RoutingContext ctx, String endpoint, boolean needsToken, Handler<RoutingContext> handler) {
    long latency = state.faults().latency(endpoint).toMillis();
    if (latency <= 0) {
      answer(ctx, needsToken, handler);
    } else {
      ctx.vertx().setTimer(latency, t -> answer(ctx, needsToken, handler));
    }
  }

  private void answer(RoutingContext ctx, boolean needsToken, Handler<RoutingContext> handler) {
    if (ctx.response().closed()) {
      return;
    }
    if (needsToken) {
      String header = ctx.request().getHeader("Authorization");
      String token = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
      String problem = state.tokenProblem(token);
      if (problem != null) {
        // DOC-ERR: 1102 InvalidToken, 1103 TokenExpired
        int code = problem.equals("TokenExpired") ? 1103 : 1102;
        error(ctx.response(), 401, code, problem, "Token is invalid or expired", List.of());
        return;
      }
    }
    handler.handle(ctx);
  }

  private SimulatedAttachment attachment(RoutingContext ctx) {
    try {
      SimulatedAttachment found = state.find(Long.parseLong(ctx.pathParam("id")));
      return found == null || found.deleted(state.now()) ? null : found;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static JsonNode body(RoutingContext ctx) {
    try {
      return ctx.body() == null || ctx.body().length() == 0
          ? null
          : JSON.readTree(ctx.body().buffer().getBytes());
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * emnify's error body {@code {error_code, error_token, message, errors}} (DOC-ERR); {@code code}
   * is emnify's numeric code where DOC-ERR names one (e.g. 1102 InvalidToken, 1104 Forbidden, 1105
   * TooManyRequests, 1201 NotFound, 1400 InputValidationFailed), else the HTTP status.
   */
  static void error(
      HttpServerResponse response,
      int status,
      int code,
      String token,
      String message,
      List<ObjectNode> errors) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("error_code", code)
            .put("error_token", token)
            .put("message", message);
    body.putArray("errors").addAll(errors);
    json(response, status, body);
  }

  /** An entry of a 422's nested {@code errors}: {@code {error_code, error_token, message}}. */
  private static ObjectNode fieldError(String field, String message) {
    return JSON.createObjectNode()
        .put("error_code", 1400)
        .put("error_token", "InputValidationFailed")
        .put("message", field + " " + message);
  }

  static void json(HttpServerResponse response, int status, JsonNode body) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.toString());
  }

  private static Integer intParam(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return value == null || value.isBlank() ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int valueOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static String textOrNull(JsonNode body, String field) {
    return body.hasNonNull(field) ? body.get(field).asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> values.add(n.asText()));
    }
    return values;
  }
}
