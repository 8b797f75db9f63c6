package io.cloudconnect.provisioner.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** The management interface of the service under test: /q/health, /q/metrics, /q/openapi. */
public final class Management {
  private Management() {}

  /** A request to the management port (the test profile's, 9001). */
  public static RequestSpecification given() {
    return RestAssured.given().port(port());
  }

  public static int port() {
    return ConfigProvider.getConfig()
        .getOptionalValue("quarkus.management.test-port", Integer.class)
        .orElse(9001);
  }
}
