package io.cloudconnect.emnify.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulator's memory: attachments, issued tokens and a request counter per endpoint that tests
 * read. Tokens are real HS256 JWTs with {@code exp}; revoking bumps a generation so every token
 * issued before is refused with 401, as an expired one would be.
 */
final class SimulatorState {
  private static final ObjectMapper JSON = ApiRoutes.JSON;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SimulatorOptions options;
  private final Clock clock = Clock.systemUTC();
  private final byte[] signingKey = new byte[32];
  private final AtomicLong ids = new AtomicLong(4700);
  private final AtomicLong tokenSerial = new AtomicLong();
  private volatile long validFromSerial = 1;
  private final Map<Long, SimulatedAttachment> attachments = new ConcurrentSkipListMap<>();
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final SimulatorFaults faults = new SimulatorFaults();
  private int failedAuthentications;
  private Instant lockedUntil = Instant.MIN;
  private volatile List<String> regions;

  SimulatorState(SimulatorOptions options) {
    this.options = options;
    this.regions = List.copyOf(options.regions());
    this.pagedList = options.pagedList();
    new SecureRandom().nextBytes(signingKey);
    asStarted();
  }

  /** The list's shape and emnify's rate limits (on or off) as the simulator was started. */
  void asStarted() {
    pagedList(options.pagedList());
    // emnify: 2,000 calls and 100 authentications per 5 minutes and IP
    // (docs.emnify.com, "API rate limits")
    faults.rateLimits(options.rateLimits(), Duration.ofMinutes(5), 2000, 100);
  }

  /** Fault injection and rate limiting, changeable at runtime. */
  SimulatorFaults faults() {
    return faults;
  }

  /** The organisation the application token belongs to. */
  static final long OWN_ORGANISATION = 4711;

  private volatile boolean master;
  private volatile boolean pagedList;

  /**
   * The token's organisation is a Master organisation (OAS-CC list: "For Master organisations it
   * lists all attachments of the direct child organisations"), or an Enterprise one.
   */
  void master(boolean isMaster) {
    master = isMaster;
  }

  boolean master() {
    return master;
  }

  /** Whether the list pages (an option) or answers as documented (SimulatorOptions#pagedList). */
  void pagedList(boolean paged) {
    pagedList = paged;
  }

  boolean pagedList() {
    return pagedList;
  }

  /**
   * Whether the list shows {@code attachment}: with {@code organisation} given, that organisation's
   * (the own one or a direct child); without, a Master organisation's list shows its child
   * organisations' attachments and an Enterprise organisation's its own.
   */
  boolean listed(SimulatedAttachment attachment, Long organisation) {
    if (organisation != null) {
      return attachment.organisationId == organisation;
    }
    return master
        ? attachment.organisationId != OWN_ORGANISATION
        : attachment.organisationId == OWN_ORGANISATION;
  }

  /** Every own attachment's description, deleted ones included (tests look for markers). */
  List<String> descriptions() {
    return attachments.values().stream()
        .filter(a -> a.organisationId == OWN_ORGANISATION)
        .map(a -> a.description)
        .toList();
  }

  SimulatorOptions options() {
    return options;
  }

  Instant now() {
    return clock.instant();
  }

  void count(String endpoint) {
    counters.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
  }

  /** Requests received by an endpoint, e.g. {@code "POST /authenticate"}, since start or reset. */
  long requests(String endpoint) {
    AtomicLong counter = counters.get(endpoint);
    return counter == null ? 0 : counter.get();
  }

  private final java.util.Set<String> headerNames =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** The names (lower case) of every request header the API has received. */
  java.util.Set<String> headerNames() {
    return new java.util.TreeSet<>(headerNames);
  }

  void sawHeaders(java.util.Set<String> names) {
    names.forEach(n -> headerNames.add(n.toLowerCase(java.util.Locale.ROOT)));
  }

  Map<String, Long> requestCounts() {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Every token issued so far is refused from now on (as if it had expired). */
  void expireAllTokens() {
    validFromSerial = tokenSerial.get() + 1;
  }

  /** Attachments whose description carries {@code marker}, deleted ones included. */
  List<Long> attachmentIdsWith(String marker) {
    return attachments.values().stream()
        .filter(a -> a.description != null && a.description.contains(marker))
        .map(a -> a.id)
        .toList();
  }

  /** Own attachments that still exist (not deleted) and whose description carries {@code text}. */
  List<Long> existingWith(String text) {
    Instant now = now();
    return attachments.values().stream()
        .filter(a -> a.organisationId == OWN_ORGANISATION && !a.deleted(now))
        .filter(a -> a.description != null && a.description.contains(text))
        .map(a -> a.id)
        .sorted()
        .toList();
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  void store(SimulatedAttachment attachment) {
    attachments.put(attachment.id, attachment);
  }

  SimulatedAttachment find(long id) {
    return attachments.get(id);
  }

  Collection<SimulatedAttachment> all() {
    return attachments.values();
  }

  String issueToken() {
    long serial = tokenSerial.incrementAndGet();
    Instant now = clock.instant();
    String header =
        B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        B64.encodeToString(
            ("{\"iss\":\"emnify-simulator\",\"sub\":\"application\",\"jti\":"
                    + serial
                    + ",\"iat\":"
                    + now.getEpochSecond()
                    + ",\"exp\":"
                    + now.plus(options.tokenLifetime()).getEpochSecond()
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    String signed = header + "." + claims;
    return signed + "." + B64.encodeToString(sign(signed));
  }

  /**
   * Why a bearer token is refused: {@code InvalidToken} (not one we issued), {@code TokenExpired}
   * (past its {@code exp}, or revoked), or null when it is accepted.
   */
  String tokenProblem(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.");
    if (parts.length != 3) {
      return "InvalidToken";
    }
    try {
      byte[] given = Base64.getUrlDecoder().decode(parts[2]);
      if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), given)) {
        return "InvalidToken";
      }
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      boolean live =
          claims.path("exp").asLong() > clock.instant().getEpochSecond()
              && claims.path("jti").asLong() >= validFromSerial;
      return live ? null : "TokenExpired";
    } catch (Exception e) {
      return "InvalidToken";
    }
  }

  /** A refused application token; the third in a row locks the account out. */
  synchronized void authenticationFailed() {
    failedAuthentications++;
    if (failedAuthentications >= 3) {
      lockedUntil = clock.instant().plus(options.lockout());
      failedAuthentications = 0;
    }
  }

  synchronized void authenticationSucceeded() {
    failedAuthentications = 0;
  }

  private volatile boolean tokenRevoked;

  /** The application token is revoked (as in emnify's portal) or valid again. */
  void revokeApplicationToken(boolean revoked) {
    tokenRevoked = revoked;
  }

  /** Whether authenticate accepts {@code token}. */
  boolean acceptsApplicationToken(String token) {
    return !tokenRevoked && token.equals(options.applicationToken());
  }

  synchronized boolean lockedOut() {
    return clock.instant().isBefore(lockedUntil);
  }

  /** The regions the available_region call lists (changeable at runtime). */
  List<String> regions() {
    return regions;
  }

  void regions(List<String> offered) {
    regions = List.copyOf(offered);
  }

  private byte[] sign(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
