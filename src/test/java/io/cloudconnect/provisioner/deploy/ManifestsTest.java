package io.cloudconnect.provisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests as kustomize renders them (kubectl kustomize): every built-in object
 * valid against the Kubernetes API's schemas (kubernetes-models, scripts/node/check-manifests.mjs),
 * the pods admissible under the "restricted" Pod Security Standard, the image the one Jib builds,
 * no Secret in what is applied, the probes on the health groups, and the Strimzi topics the ones
 * the service uses.
 */
@Tag("platform")
class ManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void theDevOverlayRendersValidObjectsThatPassTheRestrictedPodSecurityStandard() throws Exception {
    List<JsonNode> objects = rendered("k8s/overlays/dev");
    assertThat(kinds(objects))
        .contains(
            "Namespace",
            "ServiceAccount",
            "ConfigMap",
            "Service",
            "Deployment",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "Ingress")
        .doesNotContain("Secret");
    // the ingress routes the API's three doors and nothing else (no /q, no catch-all)
    assertThat(only(objects, "Ingress").at("/spec/rules/0/http/paths").findValuesAsText("path"))
        .containsExactlyInAnyOrder("/console", "/operator", "/attachments");
    JsonNode namespace = only(objects, "Namespace");
    assertThat(namespace.at("/metadata/labels/pod-security.kubernetes.io~1enforce").asText())
        .isEqualTo("restricted");
    for (JsonNode object : objects) {
      if (!object.path("kind").asText().equals("Namespace")) {
        assertThat(object.at("/metadata/namespace").asText()).isEqualTo("cloudconnect-dev");
      }
    }
    assertRestricted(only(objects, "Deployment"));
  }

  @Test
  void theBaseIsValidAndDeploysTheImageJibBuildsWithItsProbesAndResources() throws Exception {
    List<JsonNode> objects = rendered("k8s/base");
    assertThat(kinds(objects)).doesNotContain("Secret", "Namespace");
    JsonNode deployment = only(objects, "Deployment");
    assertRestricted(deployment);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.path("image").asText()).isEqualTo(jibImage());
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    // the probes on the management interface, which the Service does not expose
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("management");
    }
    assertThat(container.path("ports").findValuesAsText("name")).contains("http", "management");
    assertThat(only(objects, "Service").at("/spec/ports").findValuesAsText("targetPort"))
        .containsExactly("http");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("384Mi");
    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
    // the Secret is read, never created here: applying the manifests cannot overwrite it
    assertThat(container.path("envFrom").findValuesAsText("name"))
        .contains("cloudconnect-provisioner");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(deployment.at("/spec/template/spec/topologySpreadConstraints")).hasSize(2);
    assertThat(only(objects, "PodDisruptionBudget").at("/spec/minAvailable").asInt()).isEqualTo(1);
    JsonNode policy = only(objects, "NetworkPolicy");
    assertThat(policy.at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
    // no rule admits a whole namespace to the API port, the management port only monitoring
    for (JsonNode rule : policy.at("/spec/ingress")) {
      List<String> ports = rule.path("ports").findValuesAsText("port");
      for (JsonNode from : rule.path("from")) {
        assertThat(from.path("podSelector").isEmpty() && from.has("podSelector"))
            .as("an empty podSelector admits every pod: %s", from)
            .isFalse();
        if (ports.contains("8080")) {
          assertThat(from.at("/podSelector/matchLabels").size()).as("%s", from).isPositive();
        }
        if (ports.contains("9000")) {
          assertThat(
                  from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
              .isEqualTo("monitoring");
        }
      }
    }
    assertThat(policy.at("/spec/egress").findValuesAsText("port"))
        .as("Kafka only over its TLS listener")
        .doesNotContain("9092");
    // Kafka over TLS with SCRAM by default: the service refuses PLAINTEXT at start
    JsonNode settings = only(objects, "ConfigMap").path("data");
    assertThat(settings.path("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
    assertThat(settings.path("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
    assertThat(settings.path("QUARKUS_OIDC_TOKEN_AUDIENCE").asText()).isNotBlank();
    assertThat(settings.path("QUARKUS_OIDC_TOKEN_ISSUER").asText()).isNotBlank();
    assertThat(container.path("volumeMounts").findValuesAsText("mountPath"))
        .contains(
            settings.path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText().replaceAll("/[^/]*$", ""));
    // the selector of the policy and the PDB picks the Deployment's pods
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    policy
        .at("/spec/podSelector/matchLabels")
        .fields()
        .forEachRemaining(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
  }

  @Test
  void theStrimziTopicsAreTheServicesWithDurableSettings() throws Exception {
    List<JsonNode> objects = rendered("k8s/kafka");
    Properties app = applicationProperties();
    List<String> topics =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("KafkaTopic"))
            .map(o -> o.at("/metadata/name").asText())
            .toList();
    assertThat(topics)
        .containsExactlyInAnyOrder(
            app.getProperty("mp.messaging.incoming.requests.topic"),
            app.getProperty("mp.messaging.outgoing.events.topic"),
            app.getProperty("mp.messaging.incoming.requests.dead-letter-queue.topic"));
    for (JsonNode topic : objects) {
      if (topic.path("kind").asText().equals("KafkaTopic")) {
        assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotBlank();
        assertThat(topic.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(topic.at("/spec/config/min.insync.replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(topic.at("/spec/config/retention.ms").asLong()).isPositive();
      }
    }
    JsonNode user = only(objects, "KafkaUser");
    assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
    // what the service does with each topic, the ACLs allow: read requests and write them again
    // (the dead-letter replay), write events, read and write dead letters
    Map<String, String> acls = new java.util.HashMap<>();
    for (JsonNode acl : user.at("/spec/authorization/acls")) {
      acls.put(acl.at("/resource/name").asText(), acl.path("operations").toString());
    }
    assertThat(acls.get(app.getProperty("mp.messaging.incoming.requests.topic")))
        .contains("Read", "Write");
    assertThat(acls.get(app.getProperty("mp.messaging.outgoing.events.topic"))).contains("Write");
    assertThat(acls.get(app.getProperty("mp.messaging.incoming.requests.dead-letter-queue.topic")))
        .contains("Read", "Write");
    assertThat(user.at("/spec/authorization/acls").findValuesAsText("name"))
        .contains(app.getProperty("mp.messaging.incoming.requests.group.id"));
  }

  @Test
  void theMonitoringKustomizationCarriesTheCheckedAlertsAndDashboard() throws Exception {
    List<JsonNode> objects = rendered("k8s/monitoring");
    assertThat(kinds(objects)).contains("PodMonitor", "ConfigMap");
    JsonNode monitor = only(objects, "PodMonitor");
    assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo("/q/metrics");
    assertThat(monitor.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("management");
    assertThat(objects.toString()).contains("CloudConnectRequestStuck");
  }

  /**
   * The restricted profile's rules (kubernetes.io/docs/concepts/security/pod-security-standards).
   */
  private static void assertRestricted(JsonNode deployment) {
    JsonNode pod = deployment.at("/spec/template/spec");
    assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
    assertThat(pod.path("hostPID").asBoolean(false)).isFalse();
    assertThat(pod.path("hostIPC").asBoolean(false)).isFalse();
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isNotZero();
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    for (JsonNode volume : pod.path("volumes")) {
      assertThat(volume.has("hostPath")).as("volume %s", volume).isFalse();
    }
    for (JsonNode container : pod.path("containers")) {
      JsonNode security = container.path("securityContext");
      assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
      assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
      assertThat(security.path("privileged").asBoolean(false)).isFalse();
      assertThat(security.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
      assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
      assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
      assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
      assertThat(container.path("ports").findValuesAsText("hostPort")).isEmpty();
    }
  }

  /** kubectl kustomize's output, checked by the Kubernetes schemas; each object parsed. */
  private static List<JsonNode> rendered(String kustomization) throws Exception {
    File out = File.createTempFile("rendered-", ".yaml");
    out.deleteOnExit();
    run(out, "kubectl", "kustomize", kustomization);
    String check = run(null, "node", "scripts/node/check-manifests.mjs", out.getPath());
    assertThat(check).doesNotContain("INVALID").isNotBlank();
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(out)) {
      docs.forEachRemaining(objects::add);
    }
    return objects;
  }

  private static String run(File output, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(output == null);
    if (output != null) {
      builder.redirectOutput(output);
    }
    Process process = builder.start();
    String printed =
        new String(
            (output == null ? process.getInputStream() : process.getErrorStream()).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), printed).isZero();
    return printed;
  }

  /** registry/group/name:tag as application.properties configures Jib, the tag the pom version. */
  private static String jibImage() throws IOException {
    Properties app = applicationProperties();
    String pom = Files.readString(Path.of("pom.xml"));
    String version =
        pom.substring(
            pom.indexOf("<version>") + 9, pom.indexOf("</version>", pom.indexOf("<version>")));
    assertThat(app.getProperty("quarkus.container-image.tag"))
        .isEqualTo("${quarkus.application.version}");
    return app.getProperty("quarkus.container-image.registry")
        + "/"
        + app.getProperty("quarkus.container-image.group")
        + "/"
        + app.getProperty("quarkus.container-image.name")
        + ":"
        + version;
  }

  private static Properties applicationProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      properties.load(in);
    }
    return properties;
  }

  private static List<String> kinds(List<JsonNode> objects) {
    return objects.stream().map(o -> o.path("kind").asText()).toList();
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> found =
        objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    assertThat(found).as("objects of kind %s", kind).hasSize(1);
    return found.get(0);
  }
}
