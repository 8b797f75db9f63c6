package io.cloudconnect.provisioner.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.ManualJobs;
import io.cloudconnect.provisioner.support.OperatorTokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Concurrent overviews cannot take the whole pool. With 3 connections, 12 overviews at once all
 * answer promptly; before, each held a session's connection while waiting for a second one for the
 * budget, and three of them took the pool for the 30 s acquisition timeout.
 */
@Tag("platform")
@QuarkusTest
@TestProfile(OverviewPoolTest.SmallPool.class)
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class OverviewPoolTest {

  public static class SmallPool extends ManualJobs {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("quarkus.datasource.reactive.max-size", "3");
      return overrides;
    }
  }

  @TestHTTPResource("/operator/overview")
  URI overview;

  @Test
  void twelveConcurrentOverviewsOnThreeConnectionsAllAnswer() {
    HttpClient http = HttpClient.newHttpClient();
    String bearer = OperatorTokens.bearer("vera", "viewer");
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 12; i++) {
      answers.add(
          http.sendAsync(
              HttpRequest.newBuilder(overview)
                  .header("Authorization", bearer)
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    List<Integer> statuses = answers.stream().map(a -> a.join().statusCode()).toList();

    assertThat(statuses).containsOnly(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
