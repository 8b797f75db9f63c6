package io.cloudconnect.provisioner.validation;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.ipv4.IPv4Address;
import io.cloudconnect.provisioner.saga.AttachmentSpec;
import io.cloudconnect.provisioner.secrets.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an {@code attachment} object against the rules emnify and AWS apply (docs/CONTRACT.md,
 * "Validation") and reports every violation at once, in field order. No rule here calls the
 * network.
 */
@ApplicationScoped
public class RequestValidator {

  static final int NAME_MAX = 64;
  static final int DESCRIPTION_MAX = 100;
  static final long ASN_MAX = 4_294_967_295L;
  static final long ASN_AWS_RESERVED = 7224;
  static final Map<String, Long> ASN_RESERVED_BY_REGION =
      Map.of("eu-west-1", 9059L, "ap-northeast-1", 10124L, "ap-southeast-1", 17943L);
  static final Set<String> INSIDE_CIDR_RESERVED =
      Set.of(
          "169.254.0.0/30",
          "169.254.1.0/30",
          "169.254.2.0/30",
          "169.254.3.0/30",
          "169.254.4.0/30",
          "169.254.5.0/30",
          "169.254.169.252/30");
  private static final Pattern PSK_CHARS = Pattern.compile("[A-Za-z0-9._]*");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

  /**
   * Characters that render invisibly or reorder what is shown (bidi overrides, zero-width
   * characters: format, Cf), break lines where a reader does not expect it (U+2028, U+2029), or are
   * not characters at all (lone surrogates, private use, unassigned and noncharacters): in a name
   * or description they spoof what emnify's portal and the console display.
   */
  private static final Pattern UNSAFE =
      Pattern.compile("[\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Co}\\p{Cn}]");

  /** The service's own marker syntax ({@code Marker}): a producer's copy could be taken for it. */
  private static final String MARKER_START = "[ccp:";

  private static final IPv4Address LINK_LOCAL =
      Ipv4.cidr("169.254.0.0/16").orElseThrow().toPrefixBlock();

  private final RegionCatalog regions;

  public RequestValidator(RegionCatalog regions) {
    this.regions = regions;
  }

  public ValidationResult validate(JsonNode attachment) {
    Checks checks = new Checks();
    if (attachment == null || attachment.isMissingNode() || attachment.isNull()) {
      checks.add(
          "attachment", ErrorCode.ATTACHMENT_REQUIRED, "is required: the attachment to create");
      return checks.refused();
    }
    if (!attachment.isObject()) {
      checks.add("attachment", ErrorCode.TYPE_MISMATCH, "must be a JSON object");
      return checks.refused();
    }
    Integer type = type(attachment.get("type"), checks);
    String name = name(attachment.get("name"), checks);
    String description = description(attachment.get("description"), checks);
    String region = region(attachment.get("region"), type, checks);
    String publicIp = publicIp(attachment.get("public_ip"), checks);
    List<String> onPrem = onPremCidr(attachment.get("on_prem_cidr"), checks);
    Secret psk = psk(attachment.get("psk"), checks);
    Long asn = asn(attachment.get("asn"), type, region, checks);
    List<String> inside = insideCidr(attachment.get("inside_cidr"), type, checks);
    if (!checks.violations.isEmpty()) {
      return checks.refused();
    }
    return checks.result(
        new AttachmentSpec(type, name, description, region, publicIp, onPrem, asn, inside), psk);
  }

  private Integer type(JsonNode node, Checks checks) {
    String field = "attachment.type";
    if (absent(node)) {
      checks.add(
          field,
          ErrorCode.TYPE_REQUIRED,
          "is required: 2 (static VPN) or 3 (dynamic VPN with BGP)");
      return null;
    }
    if (!node.isIntegralNumber()) {
      checks.add(field, ErrorCode.TYPE_MISMATCH, "must be the integer 2 or 3");
      return null;
    }
    if (!node.canConvertToInt() || (node.intValue() != 2 && node.intValue() != 3)) {
      checks.add(
          field, ErrorCode.TYPE_UNSUPPORTED, "must be 2 (static VPN) or 3 (dynamic VPN with BGP)");
      return null;
    }
    return node.intValue();
  }

  private String name(JsonNode node, Checks checks) {
    String field = "attachment.name";
    if (absent(node)) {
      checks.add(field, ErrorCode.NAME_REQUIRED, "is required");
      return null;
    }
    String name = text(node, field, checks);
    if (name == null) {
      return null;
    }
    if (name.isBlank()) {
      checks.add(field, ErrorCode.NAME_BLANK, "must not be blank");
    } else if (name.codePointCount(0, name.length()) > NAME_MAX) {
      checks.add(field, ErrorCode.NAME_TOO_LONG, "must be at most " + NAME_MAX + " characters");
    } else {
      displayable(name, field, checks);
    }
    return name;
  }

  private String description(JsonNode node, Checks checks) {
    String field = "attachment.description";
    if (absent(node)) {
      return null;
    }
    String description = text(node, field, checks);
    if (description == null) {
      return null;
    }
    if (description.codePointCount(0, description.length()) > DESCRIPTION_MAX) {
      checks.add(
          field,
          ErrorCode.DESCRIPTION_TOO_LONG,
          "must be at most " + DESCRIPTION_MAX + " characters");
    } else {
      displayable(description, field, checks);
    }
    return description;
  }

  /** Text shown in emnify's portal and the console: shown as it is, and never taken for ours. */
  private static void displayable(String text, String field, Checks checks) {
    if (CONTROL.matcher(text).find()) {
      checks.add(field, ErrorCode.CONTROL_CHARACTERS, "must not contain control characters");
    } else if (UNSAFE.matcher(text).find()) {
      checks.add(
          field,
          ErrorCode.INVISIBLE_CHARACTERS,
          "must not contain invisible, direction-changing, line-separating or unassigned"
              + " characters");
    } else if (text.toLowerCase(java.util.Locale.ROOT).contains(MARKER_START)) {
      checks.add(
          field,
          ErrorCode.MARKER_RESERVED,
          "must not contain \"" + MARKER_START + "\": the service marks its attachments so");
    }
  }

  private String region(JsonNode node, Integer type, Checks checks) {
    String field = "attachment.region";
    if (absent(node)) {
      return null;
    }
    String region = text(node, field, checks);
    if (region == null || type == null) {
      return region;
    }
    if (!regions.regionsFor(type).contains(region)) {
      checks.add(
          field,
          ErrorCode.REGION_NOT_OFFERED,
          "must be an AWS region emnify offers for type " + type + ", e.g. eu-west-1");
    }
    return region;
  }

  private String publicIp(JsonNode node, Checks checks) {
    String field = "attachment.public_ip";
    if (absent(node)) {
      checks.add(
          field,
          ErrorCode.PUBLIC_IP_REQUIRED,
          "is required: the public IPv4 address of your VPN server");
      return null;
    }
    String text = text(node, field, checks);
    if (text == null) {
      return null;
    }
    Optional<IPv4Address> address = Ipv4.address(text);
    if (address.isEmpty()) {
      checks.add(field, ErrorCode.IPV4_INVALID, Ipv4.explain(text, false));
      return null;
    }
    Ipv4.notRoutable(address.get())
        .ifPresent(
            r ->
                checks.add(
                    field,
                    ErrorCode.PUBLIC_IP_NOT_ROUTABLE,
                    "must be routable on the internet; " + r.block() + " is " + r.label()));
    return text;
  }

  private List<String> onPremCidr(JsonNode node, Checks checks) {
    String field = "attachment.on_prem_cidr";
    if (absent(node)) {
      checks.add(field, ErrorCode.ON_PREM_CIDR_REQUIRED, "is required: 1 to 3 IPv4 CIDR blocks");
      return null;
    }
    if (!node.isArray()) {
      checks.add(field, ErrorCode.TYPE_MISMATCH, "must be an array of IPv4 CIDR strings");
      return null;
    }
    if (node.isEmpty() || node.size() > 3) {
      checks.add(
          field, ErrorCode.ON_PREM_CIDR_COUNT, "must list 1 to 3 CIDR blocks, not " + node.size());
      return null;
    }
    List<IPv4Address> blocks = cidrs(node, field, checks);
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (blocks.get(i) != null
            && blocks.get(j) != null
            && Ipv4.overlap(blocks.get(i), blocks.get(j))) {
          checks.add(
              field + "[" + i + "]",
              ErrorCode.ON_PREM_CIDR_OVERLAP,
              "must not overlap " + field + "[" + j + "]");
        }
      }
    }
    return strings(node);
  }

  private Secret psk(JsonNode node, Checks checks) {
    String field = "attachment.psk";
    if (absent(node)) {
      return null;
    }
    String psk = text(node, field, checks);
    if (psk == null || psk.isEmpty()) {
      return null; // emnify generates one
    }
    if (psk.length() < 8 || psk.length() > 64) {
      checks.add(field, ErrorCode.PSK_LENGTH, "must be 8 to 64 characters long");
    }
    if (!PSK_CHARS.matcher(psk).matches()) {
      checks.add(field, ErrorCode.PSK_CHARACTERS, "may contain only letters, digits, '.' and '_'");
    }
    if (psk.startsWith("0")) {
      checks.add(field, ErrorCode.PSK_LEADING_ZERO, "must not begin with 0");
    }
    return Secret.of(psk);
  }

  private Long asn(JsonNode node, Integer type, String region, Checks checks) {
    String field = "attachment.asn";
    if (absent(node)) {
      if (type != null && type == 3) {
        checks.add(field, ErrorCode.ASN_REQUIRED, "is required for type 3 (dynamic VPN with BGP)");
      }
      return null;
    }
    if (type != null && type == 2) {
      checks.add(
          field, ErrorCode.ASN_NOT_ALLOWED, "must be absent for type 2: a static VPN has no BGP");
      return null;
    }
    if (!node.isIntegralNumber()) {
      checks.add(field, ErrorCode.TYPE_MISMATCH, "must be an integer from 1 to 4294967295");
      return null;
    }
    if (!node.canConvertToLong() || node.longValue() < 1 || node.longValue() > ASN_MAX) {
      checks.add(field, ErrorCode.ASN_OUT_OF_RANGE, "must be from 1 to 4294967295");
      return null;
    }
    long asn = node.longValue();
    if (asn == ASN_AWS_RESERVED) {
      checks.add(field, ErrorCode.ASN_RESERVED, "7224 is reserved by AWS in every region");
    } else if (region != null && Long.valueOf(asn).equals(ASN_RESERVED_BY_REGION.get(region))) {
      checks.add(field, ErrorCode.ASN_RESERVED_IN_REGION, asn + " is reserved by AWS in " + region);
    }
    return asn;
  }

  private List<String> insideCidr(JsonNode node, Integer type, Checks checks) {
    String field = "attachment.inside_cidr";
    if (absent(node)) {
      return null;
    }
    if (type != null && type == 2) {
      checks.add(
          field,
          ErrorCode.INSIDE_CIDR_NOT_ALLOWED,
          "must be absent for type 2: a static VPN has no BGP tunnels");
      return null;
    }
    if (!node.isArray()) {
      checks.add(field, ErrorCode.TYPE_MISMATCH, "must be an array of /30 CIDR strings");
      return null;
    }
    if (node.size() > 3) {
      checks.add(
          field,
          ErrorCode.INSIDE_CIDR_COUNT,
          "must list at most 3 CIDR blocks, not " + node.size());
      return null;
    }
    List<IPv4Address> blocks = cidrs(node, field, checks);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < blocks.size(); i++) {
      IPv4Address block = blocks.get(i);
      if (block == null) {
        continue;
      }
      String at = field + "[" + i + "]";
      String text = block.toPrefixBlock().toString();
      if (block.getNetworkPrefixLength() != 30) {
        checks.add(at, ErrorCode.INSIDE_CIDR_NOT_30, "must be a /30 block");
      } else if (!LINK_LOCAL.contains(block)) {
        checks.add(at, ErrorCode.INSIDE_CIDR_NOT_LINK_LOCAL, "must lie inside 169.254.0.0/16");
      } else if (INSIDE_CIDR_RESERVED.contains(text)) {
        checks.add(at, ErrorCode.INSIDE_CIDR_RESERVED, text + " is reserved by AWS");
      } else if (!seen.add(text)) {
        checks.add(at, ErrorCode.INSIDE_CIDR_DUPLICATE, "must not repeat an earlier entry");
      }
    }
    return strings(node);
  }

  /** Parses each entry as a CIDR block; an entry that is not one becomes a violation and null. */
  private List<IPv4Address> cidrs(JsonNode array, String field, Checks checks) {
    List<IPv4Address> blocks = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = field + "[" + i + "]";
      JsonNode entry = array.get(i);
      if (!entry.isTextual()) {
        checks.add(at, ErrorCode.TYPE_MISMATCH, "must be a string such as 10.0.0.0/16");
        blocks.add(null);
        continue;
      }
      Optional<IPv4Address> block = Ipv4.cidr(entry.textValue());
      if (block.isEmpty()) {
        checks.add(at, ErrorCode.CIDR_INVALID, Ipv4.explain(entry.textValue(), true));
        blocks.add(null);
      } else if (!Ipv4.isNetworkAddress(block.get())) {
        checks.add(
            at,
            ErrorCode.CIDR_NOT_NETWORK_ADDRESS,
            "must be written as its network address, i.e. " + block.get().toPrefixBlock());
        blocks.add(null);
      } else {
        blocks.add(block.get());
      }
    }
    return blocks;
  }

  private static String text(JsonNode node, String field, Checks checks) {
    if (!node.isTextual()) {
      checks.add(field, ErrorCode.TYPE_MISMATCH, "must be a string");
      return null;
    }
    return node.textValue();
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return List.copyOf(values);
  }

  private static final class Checks {
    private final List<Violation> violations = new ArrayList<>();

    void add(String field, ErrorCode code, String message) {
      violations.add(new Violation(field, code, message));
    }

    ValidationResult result(AttachmentSpec request, Secret psk) {
      return new ValidationResult(request, psk, List.copyOf(violations));
    }

    ValidationResult refused() {
      return result(null, null);
    }
  }
}
