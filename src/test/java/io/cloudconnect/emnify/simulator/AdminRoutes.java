package io.cloudconnect.emnify.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;

/**
 * The simulator's own control surface (never part of emnify's API): request counts, attachment
 * descriptions, token expiry, and fault injection.
 *
 * <pre>
 * GET    /simulator/admin/requests             requests per endpoint
 * GET    /simulator/admin/attachments          every attachment's description, deleted ones included
 * POST   /simulator/admin/expire-tokens        every issued token answers 401 from now on
 * GET    /simulator/admin/faults               faults injected so far, by kind
 * PUT    /simulator/admin/faults               {"endpoint": "POST /cnc/breakout/vpn" (optional),
 *                                               "error_share": 0.3, "drop_share": 0, "reset_share": 0,
 *                                               "lost_create_share": 0, "latency_ms": 0,
 *                                               "outage_ms": 0, "list_delay_ms": 0}
 * DELETE /simulator/admin/faults               no faults any more
 * PUT    /simulator/admin/rate-limits          {"enabled": true, "window_ms": 300000, "api": 2000, "auth": 100,
 *                                               "retry_after": false}
 * </pre>
 */
final class AdminRoutes {
  static final String BASE = "/simulator/admin";
  private static final ObjectMapper JSON = ApiRoutes.JSON;

  private AdminRoutes() {}

  static void register(Router router, SimulatorState state) {
    router.route(BASE + "/*").handler(BodyHandler.create());
    router
        .get(BASE + "/requests")
        .handler(
            ctx -> ApiRoutes.json(ctx.response(), 200, JSON.valueToTree(state.requestCounts())));
    router
        .get(BASE + "/attachments")
        .handler(
            ctx -> ApiRoutes.json(ctx.response(), 200, JSON.valueToTree(state.descriptions())));
    router
        .post(BASE + "/expire-tokens")
        .handler(
            ctx -> {
              state.expireAllTokens();
              ctx.response().setStatusCode(204).end();
            });
    router
        .get(BASE + "/faults")
        .handler(
            ctx ->
                ApiRoutes.json(
                    ctx.response(), 200, JSON.valueToTree(state.faults().injectedCounts())));
    router.put(BASE + "/faults").handler(ctx -> apply(ctx, state.faults()));
    router
        .delete(BASE + "/faults")
        .handler(
            ctx -> {
              state.faults().clear();
              ctx.response().setStatusCode(204).end();
            });
    router
        .put(BASE + "/rate-limits")
        .handler(
            ctx -> {
              JsonNode body = body(ctx);
              state
                  .faults()
                  .rateLimits(
                      body.path("enabled").asBoolean(true),
                      Duration.ofMillis(body.path("window_ms").asLong(300_000)),
                      body.path("api").asInt(2000),
                      body.path("auth").asInt(100));
              state.faults().sendRetryAfter(body.path("retry_after").asBoolean(false));
              ctx.response().setStatusCode(204).end();
            });
  }

  private static void apply(RoutingContext ctx, SimulatorFaults faults) {
    JsonNode body = body(ctx);
    SimulatorFaults.Rule rule =
        new SimulatorFaults.Rule(
            body.path("error_share").asDouble(0),
            body.path("drop_share").asDouble(0),
            body.path("reset_share").asDouble(0),
            body.path("lost_create_share").asDouble(0),
            Duration.ofMillis(body.path("latency_ms").asLong(0)));
    if (body.hasNonNull("endpoint")) {
      faults.on(body.get("endpoint").asText(), rule);
    } else {
      faults.everywhere(rule);
    }
    if (body.path("outage_ms").asLong(0) > 0) {
      faults.outageFor(Duration.ofMillis(body.get("outage_ms").asLong()));
    }
    if (body.has("list_delay_ms")) {
      faults.listDelay(Duration.ofMillis(body.get("list_delay_ms").asLong()));
    }
    ctx.response().setStatusCode(204).end();
  }

  private static JsonNode body(RoutingContext ctx) {
    try {
      return ctx.body() == null || ctx.body().length() == 0
          ? JSON.createObjectNode()
          : JSON.readTree(ctx.body().buffer().getBytes());
    } catch (Exception e) {
      ObjectNode empty = JSON.createObjectNode();
      return empty;
    }
  }
}
