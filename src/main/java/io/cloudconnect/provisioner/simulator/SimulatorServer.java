package io.cloudconnect.provisioner.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulator as a stand-alone HTTP server outside Quarkus, for tests that run the service as
 * separate processes (and kill them) while the simulated emnify, with its counts, lives on.
 */
public final class SimulatorServer implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;
  private final SimulatorState state;

  private SimulatorServer(Vertx vertx, HttpServer server, SimulatorState state) {
    this.vertx = vertx;
    this.server = server;
    this.state = state;
  }

  public static SimulatorServer start(int port, Duration statusStep, boolean rateLimits)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    SimulatorState state = new SimulatorState(config(statusStep, rateLimits));
    Router router = Router.router(vertx);
    new SimulatorRoutes(state).routes(router);
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(port, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new SimulatorServer(vertx, server, state);
  }

  public SimulatorState state() {
    return state;
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static SimulatorConfig config(Duration statusStep, boolean rateLimits) {
    return new SimulatorConfig() {
      public boolean enabled() {
        return true;
      }

      public String applicationToken() {
        return "simulator-application-token";
      }

      public Duration tokenLifetime() {
        return Duration.ofHours(4);
      }

      public Duration statusStep() {
        return statusStep;
      }

      public boolean rateLimits() {
        return rateLimits;
      }

      public List<String> regions() {
        return List.of(DEFAULT_REGIONS.split(","));
      }
    };
  }
}
