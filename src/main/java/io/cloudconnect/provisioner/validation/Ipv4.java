package io.cloudconnect.provisioner.validation;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import java.util.List;
import java.util.Optional;

/**
 * Strict IPv4 parsing and classification on top of the ipaddress library. Strict means the
 * dotted-quad form only: no leading zeros ({@code 010.0.0.1}), no short forms ({@code 10.1}), no
 * hex or octal, no whitespace, no IPv6.
 */
final class Ipv4 {

  private static final IPAddressStringParameters STRICT =
      new IPAddressStringParameters.Builder()
          .allowEmpty(false)
          .allowAll(false)
          .allowMask(false)
          .allowSingleSegment(false)
          .allowWildcardedSeparator(false)
          .allowIPv6(false)
          .setEmptyAsLoopback(false)
          .getIPv4AddressParametersBuilder()
          .allowLeadingZeros(false)
          .allowPrefixLengthLeadingZeros(false)
          .allowPrefixesBeyondAddressSize(false)
          .setRangeOptions(inet.ipaddr.AddressStringParameters.RangeParameters.NO_RANGE)
          .allowUnlimitedLeadingZeros(false)
          .allow_inet_aton(false)
          .allowWildcardedSeparator(false)
          .allowBinary(false)
          .getParentBuilder()
          .toParams();

  /** A range that is not reachable on the public internet, with the reason people know it by. */
  record Reserved(IPAddress block, String label) {}

  /** IANA IPv4 special-purpose registry (RFC 6890 and successors), plus multicast and class E. */
  static final List<Reserved> NOT_ROUTABLE =
      List.of(
          reserved("0.0.0.0/8", "'this network' (RFC 791)"),
          reserved("10.0.0.0/8", "private (RFC 1918)"),
          reserved("100.64.0.0/10", "shared address space (RFC 6598)"),
          reserved("127.0.0.0/8", "loopback (RFC 1122)"),
          reserved("169.254.0.0/16", "link-local (RFC 3927)"),
          reserved("172.16.0.0/12", "private (RFC 1918)"),
          reserved("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
          reserved("192.0.2.0/24", "documentation TEST-NET-1 (RFC 5737)"),
          reserved("192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"),
          reserved("192.168.0.0/16", "private (RFC 1918)"),
          reserved("198.18.0.0/15", "benchmarking (RFC 2544)"),
          reserved("198.51.100.0/24", "documentation TEST-NET-2 (RFC 5737)"),
          reserved("203.0.113.0/24", "documentation TEST-NET-3 (RFC 5737)"),
          reserved("224.0.0.0/4", "multicast (RFC 5771)"),
          reserved("240.0.0.0/4", "reserved for future use (RFC 1112)"),
          reserved("255.255.255.255/32", "limited broadcast (RFC 919)"));

  private Ipv4() {}

  /** A single address in strict dotted-quad form, or empty. */
  static Optional<IPv4Address> address(String text) {
    return parse(text).filter(a -> !a.isPrefixed()).map(IPAddress::toIPv4);
  }

  /** A CIDR block {@code a.b.c.d/n} in strict form (the host bits are checked separately). */
  static Optional<IPv4Address> cidr(String text) {
    if (text == null || text.indexOf('/') < 0) {
      return Optional.empty();
    }
    return parse(text).filter(IPAddress::isPrefixed).map(IPAddress::toIPv4);
  }

  /** Why {@code text} is not a strict IPv4 address (or block), in words a producer can act on. */
  static String explain(String text, boolean block) {
    String example = block ? "10.0.0.0/16" : "91.64.22.5";
    if (text.isEmpty()) {
      return "must not be empty; e.g. " + example;
    }
    if (!text.equals(text.strip()) || text.chars().anyMatch(Character::isWhitespace)) {
      return "must not contain whitespace; e.g. " + example;
    }
    if (text.contains(":")) {
      return "must be IPv4; IPv6 is not supported here; e.g. " + example;
    }
    String address = text.contains("/") ? text.substring(0, text.indexOf('/')) : text;
    if (block && !text.contains("/")) {
      return "must name a prefix length, e.g. " + example;
    }
    if (!block && text.contains("/")) {
      return "must be a single address without a prefix length, e.g. " + example;
    }
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return "must have four dot-separated numbers, e.g. " + example;
    }
    for (String part : parts) {
      if (part.length() > 1 && part.startsWith("0")) {
        return "must not have leading zeros (they read as octal elsewhere); e.g. " + example;
      }
    }
    return "must be numbers 0-255"
        + (block ? " and a prefix length 0-32" : "")
        + "; e.g. "
        + example;
  }

  /** Whether the block is written as its network address (no host bits set). */
  static boolean isNetworkAddress(IPv4Address block) {
    // ipaddress parses "10.0.0.0/16" as the whole block, "10.0.0.1/16" as one prefixed address
    return block.isPrefixBlock();
  }

  static Optional<Reserved> notRoutable(IPv4Address address) {
    return NOT_ROUTABLE.stream().filter(r -> r.block().contains(address)).findFirst();
  }

  static boolean overlap(IPv4Address a, IPv4Address b) {
    IPAddress blockA = a.toPrefixBlock();
    IPAddress blockB = b.toPrefixBlock();
    return blockA.contains(blockB) || blockB.contains(blockA);
  }

  private static Optional<IPAddress> parse(String text) {
    if (text == null || text.isEmpty() || !text.equals(text.strip())) {
      return Optional.empty();
    }
    try {
      IPAddress parsed = new IPAddressString(text, STRICT).toAddress();
      return parsed != null && parsed.isIPv4() ? Optional.of(parsed) : Optional.empty();
    } catch (AddressStringException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Reserved reserved(String block, String label) {
    return new Reserved(new IPAddressString(block).getAddress().toPrefixBlock(), label);
  }
}
