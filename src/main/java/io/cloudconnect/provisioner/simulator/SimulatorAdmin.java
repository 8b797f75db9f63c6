package io.cloudconnect.provisioner.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The simulator's own control surface (never part of emnify's API): request counts, attachments per
 * request, token expiry, and fault injection.
 *
 * <pre>
 * GET    /simulator/admin/requests             requests per endpoint
 * GET    /simulator/admin/attachments          attachments per request_id (from the marker)
 * POST   /simulator/admin/expire-tokens        every issued token answers 401 from now on
 * GET    /simulator/admin/faults               faults injected so far, by kind
 * PUT    /simulator/admin/faults               {"endpoint": "POST /cnc/breakout/vpn" (optional),
 *                                               "error_share": 0.3, "drop_share": 0, "reset_share": 0,
 *                                               "lost_create_share": 0, "latency_ms": 0,
 *                                               "outage_ms": 0, "list_delay_ms": 0}
 * DELETE /simulator/admin/faults               no faults any more
 * PUT    /simulator/admin/rate-limits          {"enabled": true, "window_ms": 300000, "api": 2000, "auth": 100}
 * </pre>
 */
final class SimulatorAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimulatorAdmin() {}

  static void routes(Router router, String base, SimulatorState state) {
    router
        .get(base + "/requests")
        .handler(
            ctx ->
                SimulatorRoutes.json(ctx.response(), 200, JSON.valueToTree(state.requestCounts())));
    router
        .get(base + "/attachments")
        .handler(
            ctx ->
                SimulatorRoutes.json(
                    ctx.response(), 200, JSON.valueToTree(state.attachmentsPerRequest())));
    router
        .post(base + "/expire-tokens")
        .handler(
            ctx -> {
              state.expireAllTokens();
              ctx.response().setStatusCode(204).end();
            });
    router
        .get(base + "/faults")
        .handler(
            ctx ->
                SimulatorRoutes.json(
                    ctx.response(), 200, JSON.valueToTree(state.faults().injectedCounts())));
    router.put(base + "/faults").handler(ctx -> apply(ctx, state.faults()));
    router
        .delete(base + "/faults")
        .handler(
            ctx -> {
              state.faults().clear();
              ctx.response().setStatusCode(204).end();
            });
    router
        .put(base + "/rate-limits")
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
