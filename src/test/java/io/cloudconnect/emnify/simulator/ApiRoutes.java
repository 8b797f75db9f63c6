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
 * emnify's Cloud Connect API as the simulator serves it: the same paths, status codes, headers and
 * shapes (201 with an empty body and a Location header on create, one-element arrays on get, paging
 * headers on list, 401 for bad tokens, JSON error bodies).
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
        .delete(API + "/cnc/breakout/:id")
        .handler(guarded("DELETE /cnc/breakout/{id}", true, this::delete));
    router
        .get(API + "/cnc/breakout_type/:type/available_region")
        .handler(guarded("GET /cnc/breakout_type/{id}/available_region", true, this::regions));
  }

  private void authenticate(RoutingContext ctx) {
    JsonNode body = body(ctx);
    String token = body == null ? null : body.path("application_token").asText(null);
    if (token == null) {
      error(ctx.response(), 400, "validation_failed", "application_token is required", List.of());
    } else if (!token.equals(state.options().applicationToken())) {
      error(ctx.response(), 401, "invalid_credentials", "Invalid application token", List.of());
    } else {
      json(ctx.response(), 200, JSON.createObjectNode().put("auth_token", state.issueToken()));
    }
  }

  private void create(RoutingContext ctx) {
    JsonNode body = body(ctx);
    List<ObjectNode> errors = createErrors(body);
    if (!errors.isEmpty()) {
      error(ctx.response(), 400, "validation_failed", "Validation failed", errors);
      return;
    }
    String name = body.path("name").asText();
    if (name.contains("[sim:reject]")) {
      error(
          ctx.response(),
          400,
          "public_ip_in_use",
          "The public IP is already used by another attachment",
          List.of());
      return;
    }
    if (name.contains("[sim:echo-psk]")) {
      // some APIs quote the offending value; the service must redact it before it goes anywhere
      error(
          ctx.response(),
          400,
          "invalid_psk",
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
    String base = ctx.request().scheme() + "://" + ctx.request().authority() + API;
    ctx.response().setStatusCode(201).putHeader("Location", base + "/cnc/breakout/" + id).end();
  }

  /** The checks emnify's create applies to the body's shape (not our stricter validation). */
  private static List<ObjectNode> createErrors(JsonNode body) {
    List<ObjectNode> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      errors.add(fieldError("body", "must be a JSON object"));
      return errors;
    }
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
      error(ctx.response(), 404, "not_found", "Cloud Connect attachment not found", List.of());
      return;
    }
    ArrayNode array = JSON.createArrayNode();
    array.add(view(attachment, true));
    json(ctx.response(), 200, array);
  }

  private void list(RoutingContext ctx) {
    Integer status = intParam(ctx, "status");
    Integer type = intParam(ctx, "type");
    int page = Math.max(1, valueOr(intParam(ctx, "page"), 1));
    int perPage = Math.max(1, Math.min(1000, valueOr(intParam(ctx, "per_page"), 1000)));
    Instant now = state.now();
    List<SimulatedAttachment> matching =
        state.all().stream()
            .filter(a -> !a.deleted())
            .filter(a -> !now.isBefore(a.createdAt.plus(state.faults().listDelay())))
            .filter(a -> type == null || a.type == type)
            .filter(a -> status == null || a.statusAt(now, state.options().statusStep()) == status)
            .toList();
    int total = matching.size();
    int pages = Math.max(1, (total + perPage - 1) / perPage);
    ArrayNode array = JSON.createArrayNode();
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
      error(ctx.response(), 404, "not_found", "Cloud Connect attachment not found", List.of());
      return;
    }
    int status = attachment.statusAt(state.now(), state.options().statusStep());
    if (status == 7 || status == 8) {
      error(
          ctx.response(),
          409,
          "invalid_status",
          "Attachments in status " + status + " cannot be deleted",
          List.of());
      return;
    }
    attachment.deletedAt = state.now();
    ctx.response().setStatusCode(200).end();
  }

  private void regions(RoutingContext ctx) {
    ArrayNode array = JSON.createArrayNode();
    state.options().regions().forEach(r -> array.add(JSON.createObjectNode().put("region", r)));
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
      tunnel.putObject("metrics").put("tunnel_state", "UP").put("bytes_in", 0).put("bytes_out", 0);
    }
    return node;
  }

  /**
   * Counts the request, then lets the fault settings decide its fate before the token is checked
   * and the handler runs: outage (503), rate limit (429 with Retry-After), reset, no answer, 5xx,
   * or (for create) a lost response.
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
            error(ctx.response(), 503, "service_unavailable", "Service Unavailable", List.of());
        case THROTTLE -> {
          ctx.response()
              .putHeader(
                  "Retry-After", String.valueOf(faults.retryAfterSeconds(authentication, now)));
          error(ctx.response(), 429, "too_many_requests", "Too Many Requests", List.of());
        }
        case RESET -> ctx.request().connection().close();
        case DROP -> {} // never answered: the client's timeout decides
        case ERROR ->
            error(
                ctx.response(),
                500 + 2 * ThreadLocalRandom.current().nextInt(2),
                "internal_error",
                "Internal Server Error",
                List.of());
        case LOSE_CREATE_RESPONSE -> {
          ctx.put(LOSE_RESPONSE, Boolean.TRUE);
          afterLatency(ctx, endpoint, needsToken, handler);
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
      if (!state.accepts(token)) {
        error(ctx.response(), 401, "invalid_token", "Token is invalid or expired", List.of());
        return;
      }
    }
    handler.handle(ctx);
  }

  private SimulatedAttachment attachment(RoutingContext ctx) {
    try {
      SimulatedAttachment found = state.find(Long.parseLong(ctx.pathParam("id")));
      return found == null || found.deleted() ? null : found;
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

  static void error(
      HttpServerResponse response,
      int status,
      String token,
      String message,
      List<ObjectNode> errors) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("error_code", status)
            .put("error_token", token)
            .put("message", message);
    body.putArray("errors").addAll(errors);
    json(response, status, body);
  }

  private static ObjectNode fieldError(String field, String message) {
    return JSON.createObjectNode().put("field", field).put("message", message);
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
