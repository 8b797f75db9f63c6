package io.cloudconnect.provisioner.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/** Sample provisioning requests for tests, as JSON trees a test can bend before sending. */
public final class Requests {
  /** The deployment namespace of the test profile (application.properties). */
  public static final String NAMESPACE = "test";

  /** The marker the service writes into the description of {@code requestId}'s attachment. */
  public static String marker(String requestId) {
    return io.cloudconnect.provisioner.saga.Marker.of(NAMESPACE, requestId);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private Requests() {}

  public static String newRequestId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** A valid static VPN (type 2) request. */
  public static ObjectNode staticVpn(String requestId) {
    ObjectNode root = JSON.createObjectNode().put("request_id", requestId);
    ObjectNode a = root.putObject("attachment");
    a.put("type", 2).put("name", "Berlin branch office").put("description", "static test");
    a.put("region", "eu-west-1").put("public_ip", "91.64.22.5");
    a.putArray("on_prem_cidr").add("10.20.0.0/16").add("10.30.4.0/22");
    return root;
  }

  /** A valid dynamic VPN with BGP (type 3) request. */
  public static ObjectNode bgpVpn(String requestId) {
    ObjectNode root = JSON.createObjectNode().put("request_id", requestId);
    ObjectNode a = root.putObject("attachment");
    a.put("type", 3).put("name", "Munich plant").put("region", "eu-central-1");
    a.put("public_ip", "91.64.22.6").put("asn", 65010);
    a.putArray("on_prem_cidr").add("10.40.0.0/16");
    a.putArray("inside_cidr").add("169.254.100.0/30").add("169.254.100.4/30");
    return root;
  }

  /** A delete request naming an earlier request. */
  public static ObjectNode deleteOf(String requestId, String targetRequestId) {
    ObjectNode root = JSON.createObjectNode().put("request_id", requestId).put("action", "delete");
    root.putObject("target").put("request_id", targetRequestId);
    return root;
  }

  /** A delete request naming an attachment by its emnify id. */
  public static ObjectNode deleteAttachment(String requestId, long attachmentId) {
    ObjectNode root = JSON.createObjectNode().put("request_id", requestId).put("action", "delete");
    root.putObject("target").put("attachment_id", attachmentId);
    return root;
  }

  /** An adopt request for an existing attachment. */
  public static ObjectNode adopt(String requestId, long attachmentId) {
    ObjectNode root = JSON.createObjectNode().put("request_id", requestId).put("action", "adopt");
    root.putObject("target").put("attachment_id", attachmentId);
    return root;
  }

  public static ObjectNode attachment(ObjectNode request) {
    return (ObjectNode) request.get("attachment");
  }
}
