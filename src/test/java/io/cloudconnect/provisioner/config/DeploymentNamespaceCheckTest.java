package io.cloudconnect.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A marker namespace the marker cannot carry stops the service at start, naming the setting. */
class DeploymentNamespaceCheckTest {
  @Test
  void aNamespaceOfLowerCaseLettersDigitsAndDashesIsAccepted() {
    assertThat(DeploymentNamespaceCheck.problem("default")).isNull();
    assertThat(DeploymentNamespaceCheck.problem("eu-prod-2")).isNull();
  }

  @Test
  void anythingElseIsRefusedNamingTheSetting() {
    for (String bad : new String[] {"", "EU", "eu/prod", "-eu", "a".repeat(33), "eu prod"}) {
      assertThat(DeploymentNamespaceCheck.problem(bad))
          .as("namespace %s", bad)
          .contains("cloudconnect.deployment.namespace")
          .contains("CLOUDCONNECT_DEPLOYMENT_NAMESPACE");
    }
  }
}
