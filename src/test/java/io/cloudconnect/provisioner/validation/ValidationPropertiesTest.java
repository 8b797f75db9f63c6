package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated valid requests pass; each single-rule mutation of one makes exactly that rule fire, and
 * nothing else.
 */
class ValidationPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RequestValidator validator =
      new RequestValidator(type -> RequestValidatorTest.REGIONS);

  /** First octets that lie outside every special-purpose block. */
  private static final List<Integer> PUBLIC_FIRST_OCTETS = publicFirstOctets();

  private static List<Integer> publicFirstOctets() {
    List<Integer> octets = new ArrayList<>();
    for (int o = 1; o <= 223; o++) {
      if (!List.of(10, 100, 127, 169, 172, 192, 198, 203).contains(o)) {
        octets.add(o);
      }
    }
    return octets;
  }

  @Provide
  Arbitrary<ObjectNode> validRequests() {
    Arbitrary<String> publicIp =
        Combinators.combine(
                Arbitraries.of(PUBLIC_FIRST_OCTETS),
                Arbitraries.integers().between(0, 255).list().ofSize(3))
            .as((first, rest) -> first + "." + rest.get(0) + "." + rest.get(1) + "." + rest.get(2));
    Arbitrary<List<String>> onPrem =
        Arbitraries.integers()
            .between(0, 255)
            .set()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(seconds -> seconds.stream().map(s -> "10." + s + ".0.0/16").toList());
    Arbitrary<String> name =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz ABCXYZ-0123456789äö")
            .ofMinLength(1)
            .ofMaxLength(64)
            .filter(s -> !s.isBlank());
    Arbitrary<Optional<String>> psk =
        Combinators.combine(
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ123456789._")
                    .ofLength(1),
                Arbitraries.strings()
                    .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")
                    .ofMinLength(7)
                    .ofMaxLength(63))
            .as((head, tail) -> head + tail)
            .optional();
    Arbitrary<Optional<String>> region = Arbitraries.of(RequestValidatorTest.REGIONS).optional();
    Arbitrary<Long> asn =
        Arbitraries.oneOf(
            Arbitraries.longs().between(64512, 65534),
            Arbitraries.longs().between(4_200_000_000L, 4_294_967_294L));
    Arbitrary<List<String>> inside =
        Arbitraries.integers()
            .between(10, 200)
            .set()
            .ofMaxSize(3)
            .map(thirds -> thirds.stream().map(t -> "169.254." + t + ".0/30").toList());
    Arbitrary<Integer> type = Arbitraries.of(2, 3);
    return Combinators.combine(type, name, publicIp, onPrem, psk, region, asn, inside)
        .as(
            (t, n, ip, cidrs, secret, r, a, in) -> {
              ObjectNode attachment = JSON.createObjectNode();
              attachment.put("type", t).put("name", n).put("public_ip", ip);
              ArrayNode array = attachment.putArray("on_prem_cidr");
              cidrs.forEach(array::add);
              secret.ifPresent(s -> attachment.put("psk", s));
              r.ifPresent(value -> attachment.put("region", value));
              if (t == 3) {
                attachment.put("asn", a);
                ArrayNode insideArray = attachment.putArray("inside_cidr");
                in.forEach(insideArray::add);
              }
              return attachment;
            });
  }

  record Mutation(String code, Function<ObjectNode, Boolean> apply) {
    @Override
    public String toString() {
      return code;
    }
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Arbitraries.of(
        new Mutation("PUBLIC_IP_NOT_ROUTABLE", a -> set(a, "public_ip", "192.168.7.9")),
        new Mutation("IPV4_INVALID", a -> set(a, "public_ip", "0" + a.get("public_ip").asText())),
        new Mutation("PSK_LENGTH", a -> set(a, "psk", "abc1234")),
        new Mutation("PSK_CHARACTERS", a -> set(a, "psk", "abc+defgh")),
        new Mutation("PSK_LEADING_ZERO", a -> set(a, "psk", "0abcdefgh")),
        new Mutation("NAME_BLANK", a -> set(a, "name", "  ")),
        new Mutation("NAME_TOO_LONG", a -> set(a, "name", "n".repeat(65))),
        new Mutation("CONTROL_CHARACTERS", a -> set(a, "name", "line\rbreak")),
        new Mutation("INVISIBLE_CHARACTERS", a -> set(a, "name", "admin\u200Bsite")),
        new Mutation("MARKER_RESERVED", a -> set(a, "description", "[ccp:other/x]")),
        new Mutation(
            "CIDR_NOT_NETWORK_ADDRESS",
            a -> {
              ((ArrayNode) a.get("on_prem_cidr"))
                  .set(0, a.get("on_prem_cidr").get(0).asText().replace(".0.0/16", ".0.1/16"));
              return true;
            }),
        new Mutation(
            "ON_PREM_CIDR_OVERLAP",
            a -> {
              ArrayNode cidrs = (ArrayNode) a.get("on_prem_cidr");
              if (cidrs.size() == 3) {
                return false;
              }
              // a block inside the first entry only (the others have other second octets)
              cidrs.add(cidrs.get(0).asText().replace(".0.0/16", ".7.0/24"));
              return true;
            }),
        new Mutation("ASN_RESERVED", a -> a.get("type").asInt() == 3 && set(a, "asn", 7224)),
        new Mutation("ASN_REQUIRED", a -> a.get("type").asInt() == 3 && a.remove("asn") != null),
        new Mutation("ASN_NOT_ALLOWED", a -> a.get("type").asInt() == 2 && set(a, "asn", 65001)),
        new Mutation(
            "INSIDE_CIDR_NOT_ALLOWED",
            a ->
                a.get("type").asInt() == 2
                    && a.putArray("inside_cidr").add("169.254.100.0/30") != null),
        new Mutation(
            "INSIDE_CIDR_RESERVED",
            a -> {
              if (a.get("type").asInt() != 3 || a.get("inside_cidr").size() == 3) {
                return false;
              }
              ((ArrayNode) a.get("inside_cidr")).add("169.254.3.0/30");
              return true;
            }),
        new Mutation("REGION_NOT_OFFERED", a -> set(a, "region", "xx-nowhere-9")),
        new Mutation("TYPE_UNSUPPORTED", a -> set(a, "type", 4)));
  }

  private static boolean set(ObjectNode attachment, String field, Object value) {
    attachment.set(field, JSON.valueToTree(value));
    return true;
  }

  @Property(tries = 1000)
  void generatedValidRequestsPass(@ForAll("validRequests") ObjectNode attachment) {
    assertThat(validator.validate(attachment).violations()).isEmpty();
  }

  @Property(tries = 2000)
  void singleMutationFiresExactlyItsRule(
      @ForAll("validRequests") ObjectNode attachment, @ForAll("mutations") Mutation mutation) {
    if (!mutation.apply().apply(attachment)) {
      return; // not applicable to this request's type or size
    }
    assertThat(validator.validate(attachment).violations())
        .as("%s on %s", mutation.code(), attachment)
        .extracting(v -> v.code().name())
        .containsExactly(mutation.code());
  }
}
