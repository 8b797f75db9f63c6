package io.cloudconnect.provisioner.support;

import io.cloudconnect.provisioner.saga.AttachmentSpec;
import java.util.List;

/** Valid attachments as the saga stores them, for tests that skip Kafka intake. */
public final class Specs {
  private Specs() {}

  /** A static VPN (type 2); {@code name} may carry a simulator fate such as {@code [sim:stuck]}. */
  public static AttachmentSpec staticVpn(String name) {
    return new AttachmentSpec(
        2, name, "component test", "eu-west-1", "91.64.22.5", List.of("10.20.0.0/16"), null, null);
  }
}
