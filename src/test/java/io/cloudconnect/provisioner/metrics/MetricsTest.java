package io.cloudconnect.provisioner.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnect.provisioner.support.EmnifySimulatorResource;
import io.cloudconnect.provisioner.support.KafkaFixture;
import io.cloudconnect.provisioner.support.Management;
import io.cloudconnect.provisioner.support.Outcomes;
import io.cloudconnect.provisioner.support.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The metrics to alert on, as Prometheus scrapes them. Outcomes are counted once their event is
 * published (after the commit), with the request-to-ready histogram.
 */
@Tag("platform")
@QuarkusTest
@WithTestResource(value = EmnifySimulatorResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {
  private final KafkaFixture kafka = KafkaFixture.get();

  private static String scrape() {
    return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The sample's value; an exemplar after it (the trace it was counted in) is left aside. */
  private static double value(String metrics, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)( # \\{.*)?$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void aReadyRequestIsCountedAfterItsEventAndTimedFromReceiptToReady() {
    String ready =
        "cloudconnect_outcomes_total{reason=\"NONE\",type=\"cloudconnect.attachment.ready\"}";
    String timed = "cloudconnect_request_duration_seconds_count{action=\"create\",type=\"2\"}";
    double before = Math.max(0, value(scrape(), ready));
    double timedBefore = Math.max(0, value(scrape(), timed));

    String id = Requests.newRequestId("metrics");
    kafka.send(id, Requests.staticVpn(id).toString());
    Outcomes.ready(id);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(value(metrics, ready)).isEqualTo(before + 1);
              assertThat(value(metrics, timed)).isEqualTo(timedBefore + 1);
              assertThat(metrics)
                  .contains("cloudconnect_request_duration_seconds_bucket{action=\"create\"");
            });
  }

  /**
   * Every metric the shipped alert rules and dashboard query (k8s/monitoring) is one the service
   * exposes: a renamed metric would silently turn an alert off.
   */
  @Test
  void everyMetricTheAlertsAndTheDashboardQueryExists() throws Exception {
    String id = Requests.newRequestId("dashboard");
    kafka.send(id, Requests.staticVpn(id).toString());
    Outcomes.ready(id);
    java.util.Set<String> used = new java.util.TreeSet<>();
    for (String file :
        java.util.List.of("k8s/monitoring/alerts.yaml", "k8s/monitoring/grafana-dashboard.json")) {
      Matcher m =
          Pattern.compile("cloudconnect_[a-z_]+")
              .matcher(java.nio.file.Files.readString(java.nio.file.Path.of(file)));
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).hasSizeGreaterThanOrEqualTo(10);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(used)
                  .allSatisfy(
                      name ->
                          assertThat(metrics)
                              .as("metric %s used by k8s/monitoring", name)
                              .containsPattern("(?m)^" + name + "[{ ]"));
            });
  }

  @Test
  void theGaugesToAlertOnAreExposed() {
    String id = Requests.newRequestId("gauges");
    kafka.send(id, Requests.staticVpn(id).toString());
    Outcomes.ready(id);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String metrics = scrape();
              assertThat(value(metrics, "cloudconnect_requests{state=\"READY\"}")).isPositive();
              assertThat(value(metrics, "cloudconnect_requests{state=\"REMOVING\"}"))
                  .isGreaterThanOrEqualTo(0);
              assertThat(value(metrics, "cloudconnect_requests_oldest_open_seconds"))
                  .isGreaterThanOrEqualTo(0);
              assertThat(value(metrics, "cloudconnect_outbox_unsent")).isGreaterThanOrEqualTo(0);
              assertThat(value(metrics, "cloudconnect_outbox_oldest_unsent_seconds"))
                  .isGreaterThanOrEqualTo(0);
              assertThat(value(metrics, "cloudconnect_emnify_budget_tokens")).isPositive();
              assertThat(
                      value(metrics, "cloudconnect_emnify_breaker_open{breaker=\"emnify-create\"}"))
                  .isZero();
            });
  }
}
