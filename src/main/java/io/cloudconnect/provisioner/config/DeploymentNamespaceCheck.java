package io.cloudconnect.provisioner.config;

import io.cloudconnect.provisioner.saga.Marker;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * The marker namespace goes into every attachment's description and decides which attachments the
 * orphan sweep may delete: a value the marker cannot carry stops the service at start, in every
 * profile, before a request is taken.
 */
@ApplicationScoped
class DeploymentNamespaceCheck {
  static final String SETTING = "cloudconnect.deployment.namespace";

  void check(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
      ProvisionerConfig config) {
    String problem = problem(config.deployment().namespace());
    if (problem != null) {
      throw new ConfigurationException(problem);
    }
  }

  static String problem(String namespace) {
    return Marker.NAMESPACE.matcher(namespace).matches()
        ? null
        : SETTING
            + " (CLOUDCONNECT_DEPLOYMENT_NAMESPACE) must be 1-32 lower-case letters, digits and"
            + " dashes, starting with a letter or digit";
  }
}
