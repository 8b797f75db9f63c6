package io.cloudconnect.provisioner.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.UUID;

/** This process's name in leases: host name (the pod name on Kubernetes) plus a random suffix. */
@ApplicationScoped
public class ReplicaId {
  private final String value;

  ReplicaId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "replica";
    }
    String name = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.value = name.length() > 80 ? name.substring(name.length() - 80) : name;
  }

  public String value() {
    return value;
  }
}
