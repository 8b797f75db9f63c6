package io.cloudconnect.provisioner.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudconnect.provisioner.support.Requests;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/CONTRACT.md "Validation" as a table: each case bends a valid static (S) or BGP (B) request
 * and names exactly the codes it must produce, in order. Boundaries are listed on both sides.
 */
class ValidationRulesTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RequestValidator validator =
      new RequestValidator(type -> RequestValidatorTest.REGIONS);

  record Case(String name, boolean bgp, Consumer<ObjectNode> change, List<String> codes) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case s(String name, Consumer<ObjectNode> change, String... codes) {
    return new Case(name, false, change, List.of(codes));
  }

  static Case b(String name, Consumer<ObjectNode> change, String... codes) {
    return new Case(name, true, change, List.of(codes));
  }

  static Consumer<ObjectNode> put(String field, Object value) {
    return a -> a.set(field, JSON.valueToTree(value));
  }

  static Consumer<ObjectNode> remove(String field) {
    return a -> a.remove(field);
  }

  static Consumer<ObjectNode> array(String field, String... values) {
    return a -> {
      ArrayNode array = a.putArray(field);
      for (String v : values) {
        array.add(v);
      }
    };
  }

  static Consumer<ObjectNode> raw(String field, String json) {
    return a -> {
      try {
        a.set(field, JSON.readTree(json));
      } catch (Exception e) {
        throw new IllegalArgumentException(e);
      }
    };
  }

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    // type
    c.add(s("type missing", remove("type"), "TYPE_REQUIRED"));
    c.add(s("type as string \"2\"", put("type", "2"), "TYPE_MISMATCH"));
    c.add(s("type 2.5", raw("type", "2.5"), "TYPE_MISMATCH"));
    c.add(s("type 1 (transit gateway)", put("type", 1), "TYPE_UNSUPPORTED"));
    c.add(s("type 4", put("type", 4), "TYPE_UNSUPPORTED"));
    // name
    c.add(s("name missing", remove("name"), "NAME_REQUIRED"));
    c.add(s("name null", raw("name", "null"), "NAME_REQUIRED"));
    c.add(s("name blank", put("name", "   "), "NAME_BLANK"));
    c.add(s("name of 64 characters", put("name", "n".repeat(64))));
    c.add(s("name of 65 characters", put("name", "n".repeat(65)), "NAME_TOO_LONG"));
    c.add(s("name with a newline", put("name", "Berlin\nFAKE LOG LINE"), "CONTROL_CHARACTERS"));
    c.add(
        s(
            "name with a bidi override",
            put("name", "Berlin \u202Egnp.exe"),
            "INVISIBLE_CHARACTERS"));
    c.add(s("name of a zero-width space", put("name", "\u200B"), "INVISIBLE_CHARACTERS"));
    c.add(s("name with a line separator", put("name", "a\u2028b"), "INVISIBLE_CHARACTERS"));
    c.add(s("name with a lone surrogate", put("name", "a\uD800b"), "INVISIBLE_CHARACTERS"));
    c.add(s("name with a private-use character", put("name", "a\uE000"), "INVISIBLE_CHARACTERS"));
    c.add(s("name with a noncharacter", put("name", "a\uFFFF"), "INVISIBLE_CHARACTERS"));
    c.add(s("name with a marker", put("name", "[ccp:prod/x]"), "MARKER_RESERVED"));
    c.add(s("name as number", put("name", 5), "TYPE_MISMATCH"));
    c.add(s("name with an emoji", put("name", "Berlin 🏢")));
    c.add(s("name with umlauts", put("name", "Zürich Büro ✓")));
    // description
    c.add(s("description of 100 characters", put("description", "d".repeat(100))));
    c.add(
        s(
            "description of 101 characters",
            put("description", "d".repeat(101)),
            "DESCRIPTION_TOO_LONG"));
    c.add(s("description with a null byte", put("description", "a\u0000b"), "CONTROL_CHARACTERS"));
    c.add(s("description null", raw("description", "null")));
    c.add(
        s(
            "description with another deployment's marker",
            put("description", "site [ccp:prod/onboarding-1]"),
            "MARKER_RESERVED"));
    c.add(
        s(
            "description with a marker in capitals",
            put("description", "[CCP:prod/x]"),
            "MARKER_RESERVED"));
    c.add(s("description with brackets", put("description", "rack [c] cp: 3")));
    c.add(
        s(
            "description with a zero-width joiner",
            put("description", "a\u200Db"),
            "INVISIBLE_CHARACTERS"));
    // public_ip
    c.add(s("public_ip missing", remove("public_ip"), "PUBLIC_IP_REQUIRED"));
    c.add(s("public_ip 8.8.8.8", put("public_ip", "8.8.8.8")));
    c.add(s("public_ip private 10/8", put("public_ip", "10.1.2.3"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(
        s("public_ip private 172.16/12", put("public_ip", "172.16.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip 172.32.0.1 just outside 172.16/12", put("public_ip", "172.32.0.1")));
    c.add(
        s(
            "public_ip private 192.168/16",
            put("public_ip", "192.168.1.1"),
            "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(
        s("public_ip shared 100.64/10", put("public_ip", "100.64.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip 100.128.0.1 just outside 100.64/10", put("public_ip", "100.128.0.1")));
    c.add(s("public_ip loopback", put("public_ip", "127.0.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip link-local", put("public_ip", "169.254.1.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip multicast", put("public_ip", "224.0.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip TEST-NET-1", put("public_ip", "192.0.2.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip TEST-NET-2", put("public_ip", "198.51.100.7"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip TEST-NET-3", put("public_ip", "203.0.113.9"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip benchmarking", put("public_ip", "198.18.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip reserved 240/4", put("public_ip", "240.0.0.1"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip broadcast", put("public_ip", "255.255.255.255"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip this-network", put("public_ip", "0.0.0.0"), "PUBLIC_IP_NOT_ROUTABLE"));
    c.add(s("public_ip with leading zero", put("public_ip", "091.64.22.5"), "IPV4_INVALID"));
    c.add(s("public_ip short form", put("public_ip", "91.64"), "IPV4_INVALID"));
    c.add(s("public_ip with whitespace", put("public_ip", " 91.64.22.5"), "IPV4_INVALID"));
    c.add(s("public_ip IPv6", put("public_ip", "2001:db8::1"), "IPV4_INVALID"));
    c.add(s("public_ip with prefix", put("public_ip", "91.64.22.5/32"), "IPV4_INVALID"));
    c.add(s("public_ip octet 256", put("public_ip", "256.1.1.1"), "IPV4_INVALID"));
    c.add(s("public_ip hex", put("public_ip", "0x5b.64.22.5"), "IPV4_INVALID"));
    // on_prem_cidr
    c.add(s("on_prem_cidr missing", remove("on_prem_cidr"), "ON_PREM_CIDR_REQUIRED"));
    c.add(s("on_prem_cidr empty", array("on_prem_cidr"), "ON_PREM_CIDR_COUNT"));
    c.add(
        s(
            "on_prem_cidr three",
            array("on_prem_cidr", "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16")));
    c.add(
        s(
            "on_prem_cidr four",
            array("on_prem_cidr", "10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"),
            "ON_PREM_CIDR_COUNT"));
    c.add(
        s(
            "on_prem_cidr host bits set",
            array("on_prem_cidr", "10.0.0.1/16"),
            "CIDR_NOT_NETWORK_ADDRESS"));
    c.add(s("on_prem_cidr prefix 33", array("on_prem_cidr", "10.0.0.0/33"), "CIDR_INVALID"));
    c.add(s("on_prem_cidr without prefix", array("on_prem_cidr", "10.0.0.0"), "CIDR_INVALID"));
    c.add(
        s("on_prem_cidr with leading zero", array("on_prem_cidr", "010.0.0.0/8"), "CIDR_INVALID"));
    c.add(
        s(
            "on_prem_cidr nested overlap",
            array("on_prem_cidr", "10.0.0.0/8", "10.1.0.0/16"),
            "ON_PREM_CIDR_OVERLAP"));
    c.add(
        s(
            "on_prem_cidr duplicate",
            array("on_prem_cidr", "10.0.0.0/16", "10.0.0.0/16"),
            "ON_PREM_CIDR_OVERLAP"));
    c.add(s("on_prem_cidr adjacent blocks", array("on_prem_cidr", "10.0.0.0/16", "10.1.0.0/16")));
    c.add(s("on_prem_cidr as a string", put("on_prem_cidr", "10.0.0.0/8"), "TYPE_MISMATCH"));
    c.add(s("on_prem_cidr entry as number", raw("on_prem_cidr", "[10]"), "TYPE_MISMATCH"));
    // psk
    c.add(s("psk of 8 characters", put("psk", "abcdefgh")));
    c.add(s("psk of 7 characters", put("psk", "abcdefg"), "PSK_LENGTH"));
    c.add(s("psk of 64 characters", put("psk", "p".repeat(64))));
    c.add(s("psk of 65 characters", put("psk", "p".repeat(65)), "PSK_LENGTH"));
    c.add(s("psk with a dash", put("psk", "abc-defgh"), "PSK_CHARACTERS"));
    c.add(s("psk with dot and underscore", put("psk", "a.b_c1234")));
    c.add(s("psk with leading zero", put("psk", "0abcdefg"), "PSK_LEADING_ZERO"));
    c.add(s("psk short with leading zero", put("psk", "0ab"), "PSK_LENGTH", "PSK_LEADING_ZERO"));
    c.add(s("psk empty: emnify generates one", put("psk", "")));
    c.add(s("psk as number", put("psk", 12345678), "TYPE_MISMATCH"));
    // asn
    c.add(b("asn missing for type 3", remove("asn"), "ASN_REQUIRED"));
    c.add(s("asn given for type 2", put("asn", 65010), "ASN_NOT_ALLOWED"));
    c.add(b("asn 1", put("asn", 1)));
    c.add(b("asn 4294967295", put("asn", 4294967295L)));
    c.add(b("asn 0", put("asn", 0), "ASN_OUT_OF_RANGE"));
    c.add(b("asn 4294967296", put("asn", 4294967296L), "ASN_OUT_OF_RANGE"));
    c.add(b("asn 7224", put("asn", 7224), "ASN_RESERVED"));
    c.add(
        b(
            "asn 9059 in eu-west-1",
            put("asn", 9059).andThen(put("region", "eu-west-1")),
            "ASN_RESERVED_IN_REGION"));
    c.add(b("asn 9059 in eu-central-1", put("asn", 9059)));
    c.add(
        b(
            "asn 10124 in ap-northeast-1",
            put("asn", 10124).andThen(put("region", "ap-northeast-1")),
            "ASN_RESERVED_IN_REGION"));
    c.add(
        b(
            "asn 17943 in ap-southeast-1",
            put("asn", 17943).andThen(put("region", "ap-southeast-1")),
            "ASN_RESERVED_IN_REGION"));
    c.add(b("asn 65000.5", raw("asn", "65000.5"), "TYPE_MISMATCH"));
    c.add(b("asn as string", put("asn", "65000"), "TYPE_MISMATCH"));
    // inside_cidr
    c.add(
        s(
            "inside_cidr given for type 2",
            array("inside_cidr", "169.254.100.0/30"),
            "INSIDE_CIDR_NOT_ALLOWED"));
    c.add(
        b(
            "inside_cidr three",
            array("inside_cidr", "169.254.100.0/30", "169.254.100.4/30", "169.254.100.8/30")));
    c.add(
        b(
            "inside_cidr four",
            array(
                "inside_cidr",
                "169.254.100.0/30",
                "169.254.100.4/30",
                "169.254.100.8/30",
                "169.254.100.12/30"),
            "INSIDE_CIDR_COUNT"));
    c.add(b("inside_cidr empty", array("inside_cidr")));
    c.add(
        b(
            "inside_cidr 169.254.5.0/30 reserved",
            array("inside_cidr", "169.254.5.0/30"),
            "INSIDE_CIDR_RESERVED"));
    c.add(b("inside_cidr 169.254.6.0/30 allowed", array("inside_cidr", "169.254.6.0/30")));
    c.add(
        b(
            "inside_cidr 169.254.0.0/30 reserved",
            array("inside_cidr", "169.254.0.0/30"),
            "INSIDE_CIDR_RESERVED"));
    c.add(
        b(
            "inside_cidr 169.254.169.252/30 reserved",
            array("inside_cidr", "169.254.169.252/30"),
            "INSIDE_CIDR_RESERVED"));
    c.add(b("inside_cidr /29", array("inside_cidr", "169.254.100.0/29"), "INSIDE_CIDR_NOT_30"));
    c.add(
        b(
            "inside_cidr outside link-local",
            array("inside_cidr", "10.0.0.0/30"),
            "INSIDE_CIDR_NOT_LINK_LOCAL"));
    c.add(
        b(
            "inside_cidr duplicate",
            array("inside_cidr", "169.254.100.0/30", "169.254.100.0/30"),
            "INSIDE_CIDR_DUPLICATE"));
    c.add(
        b(
            "inside_cidr host bits set",
            array("inside_cidr", "169.254.100.1/30"),
            "CIDR_NOT_NETWORK_ADDRESS"));
    c.add(b("inside_cidr as a string", put("inside_cidr", "169.254.100.0/30"), "TYPE_MISMATCH"));
    // region
    c.add(s("region offered", put("region", "us-east-1")));
    c.add(s("region not offered", put("region", "mars-north-1"), "REGION_NOT_OFFERED"));
    c.add(s("region absent", remove("region")));
    c.add(s("region as number", put("region", 5), "TYPE_MISMATCH"));
    // several at once, in field order
    c.add(
        b(
            "several violations in field order",
            put("name", "")
                .andThen(put("public_ip", "10.0.0.1"))
                .andThen(put("psk", "0-"))
                .andThen(remove("asn")),
            "NAME_BLANK",
            "PUBLIC_IP_NOT_ROUTABLE",
            "PSK_LENGTH",
            "PSK_CHARACTERS",
            "PSK_LEADING_ZERO",
            "ASN_REQUIRED"));
    c.add(s("unknown fields are ignored", put("colour", "blue")));
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ruleFiresExactlyAsListed(Case c) {
    ObjectNode request = c.bgp() ? Requests.bgpVpn("t") : Requests.staticVpn("t");
    c.change().accept(Requests.attachment(request));

    ValidationResult result = validator.validate(Requests.attachment(request));

    assertThat(result.violations())
        .extracting(v -> v.code().name())
        .containsExactlyElementsOf(c.codes());
    assertThat(result.valid()).isEqualTo(c.codes().isEmpty());
    if (result.valid()) {
      assertThat(result.request()).isNotNull();
    }
  }

  @ParameterizedTest(name = "attachment {0}")
  @MethodSource("notAnObject")
  void attachmentMustBeAnObject(String json, String code) throws Exception {
    JsonNode node = json == null ? null : JSON.readTree(json);
    assertThat(validator.validate(node).violations())
        .extracting(v -> v.code().name())
        .containsExactly(code);
  }

  static List<Object[]> notAnObject() {
    return List.of(
        new Object[] {null, "ATTACHMENT_REQUIRED"},
        new Object[] {"null", "ATTACHMENT_REQUIRED"},
        new Object[] {"[]", "TYPE_MISMATCH"},
        new Object[] {"\"text\"", "TYPE_MISMATCH"});
  }
}
