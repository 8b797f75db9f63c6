package io.cloudconnect.emnify.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What can go wrong at the simulated emnify, set at runtime (admin endpoint or tests): per endpoint
 * shares of 5xx answers, dropped requests (no answer: the client times out), connection resets,
 * added latency and lost create responses (the attachment is created, the answer lost); a full
 * outage for a period; attachments that show up in the list only after a delay; and emnify's rate
 * limits with their real windows (2,000 calls per 5 minutes, 100 authentications), answered with
 * 429 (with Retry-After only when asked for: emnify documents none).
 */
public final class SimulatorFaults {

  /** Fault shares (0..1) and latency for one endpoint, or for all. */
  public record Rule(
      double errorShare,
      double dropShare,
      double resetShare,
      double lostCreateShare,
      Duration latency) {
    public static final Rule NONE = new Rule(0, 0, 0, 0, Duration.ZERO);

    /** A share of requests answered 500 or 502. */
    public Rule errors(double share) {
      return new Rule(share, dropShare, resetShare, lostCreateShare, latency);
    }

    /** A share of requests never answered (the connection stays open until the client gives up). */
    public Rule drops(double share) {
      return new Rule(errorShare, share, resetShare, lostCreateShare, latency);
    }

    /** A share of requests whose connection is reset. */
    public Rule resets(double share) {
      return new Rule(errorShare, dropShare, share, lostCreateShare, latency);
    }

    /** A share of creates carried out whose answer is lost (the attachment exists). */
    public Rule lostCreates(double share) {
      return new Rule(errorShare, dropShare, resetShare, share, latency);
    }

    /** Added to every answer. */
    public Rule latency(Duration added) {
      return new Rule(errorShare, dropShare, resetShare, lostCreateShare, added);
    }
  }

  /** What the simulator does with one request before (or instead of) answering it. */
  public enum Verdict {
    PASS,
    OUTAGE,
    THROTTLE,
    ERROR,
    DROP,
    RESET,
    LOSE_CREATE_RESPONSE,
    /** Held for a while, then the connection drops without an answer; done or not, by chance. */
    HANG
  }

  /** Share of an endpoint's requests held for {@code hold}, then dropped without an answer. */
  public record Hang(double share, Duration hold) {}

  private volatile Rule everywhere = Rule.NONE;
  private final Map<String, Rule> byEndpoint = new ConcurrentHashMap<>();
  private volatile Instant outageUntil = Instant.MIN;
  private volatile Duration listDelay = Duration.ZERO;
  private volatile boolean rateLimited;
  private volatile Duration rateWindow = Duration.ofMinutes(5);
  private volatile int apiLimit = 2000;
  private volatile int authLimit = 100;
  private final Deque<Instant> apiCalls = new ArrayDeque<>();
  private final Deque<Instant> authCalls = new ArrayDeque<>();
  private final Map<Verdict, AtomicLong> injected = new ConcurrentHashMap<>();
  private volatile boolean sendsRetryAfter;
  private final Map<String, Hang> hangs = new ConcurrentHashMap<>();

  /**
   * {@code share} of the endpoint's requests hang for {@code hold}, then the connection drops
   * without an answer. Half of the hung creates take effect at the end of the hold (emnify did the
   * work, the answer was lost), half do not: the client cannot tell which.
   */
  public void hang(String endpoint, double share, Duration hold) {
    hangs.put(endpoint, new Hang(share, hold));
  }

  private volatile boolean stripLocation;

  /**
   * Answers a successful create 201 without its {@code Location} header, as a proxy that strips
   * headers would (emnify's OpenAPI documents the header; this is a fault between us and emnify).
   */
  public void stripLocation(boolean strip) {
    stripLocation = strip;
  }

  boolean stripsLocation() {
    return stripLocation;
  }

  Duration hold(String endpoint) {
    return hangs.getOrDefault(endpoint, new Hang(0, Duration.ZERO)).hold();
  }

  public void everywhere(Rule rule) {
    everywhere = rule;
  }

  public void on(String endpoint, Rule rule) {
    byEndpoint.put(endpoint, rule);
  }

  public void outageFor(Duration duration) {
    outageUntil = Instant.now().plus(duration);
  }

  public void listDelay(Duration delay) {
    listDelay = delay;
  }

  /** emnify's limits; pass a shorter window with proportionally smaller limits to scale time. */
  public void rateLimits(boolean enabled, Duration window, int api, int auth) {
    rateLimited = enabled;
    rateWindow = window;
    apiLimit = api;
    authLimit = auth;
  }

  /**
   * Whether a 429 carries {@code Retry-After}. emnify documents none (DOC-RATE), so by default it
   * does not; a test of the header's handling turns it on.
   */
  public void sendRetryAfter(boolean send) {
    sendsRetryAfter = send;
  }

  boolean sendsRetryAfter() {
    return sendsRetryAfter;
  }

  /** No faults, no delays, counters kept; rate limiting as configured at start. */
  public void clear() {
    everywhere = Rule.NONE;
    byEndpoint.clear();
    hangs.clear();
    stripLocation = false;
    outageUntil = Instant.MIN;
    listDelay = Duration.ZERO;
    sendsRetryAfter = false;
  }

  public long injected(Verdict verdict) {
    AtomicLong count = injected.get(verdict);
    return count == null ? 0 : count.get();
  }

  public Map<String, Long> injectedCounts() {
    Map<String, Long> copy = new TreeMap<>();
    injected.forEach((k, v) -> copy.put(k.name(), v.get()));
    return copy;
  }

  Duration listDelay() {
    return listDelay;
  }

  Duration latency(String endpoint) {
    Duration own = byEndpoint.getOrDefault(endpoint, Rule.NONE).latency();
    return own.isZero() ? everywhere.latency() : own;
  }

  /** Decides a request's fate; counts what it injects. */
  Verdict judge(String endpoint, boolean authentication, Instant now) {
    if (now.isBefore(outageUntil)) {
      return count(Verdict.OUTAGE);
    }
    if (rateLimited
        && overLimit(
            authentication ? authCalls : apiCalls, authentication ? authLimit : apiLimit, now)) {
      return count(Verdict.THROTTLE);
    }
    Hang hang = hangs.get(endpoint);
    if (hang != null && ThreadLocalRandom.current().nextDouble() < hang.share()) {
      return count(Verdict.HANG);
    }
    Rule rule = byEndpoint.getOrDefault(endpoint, everywhere);
    double roll = ThreadLocalRandom.current().nextDouble();
    if ((roll -= rule.resetShare()) < 0) {
      return count(Verdict.RESET);
    }
    if ((roll -= rule.dropShare()) < 0) {
      return count(Verdict.DROP);
    }
    if ((roll -= rule.errorShare()) < 0) {
      return count(Verdict.ERROR);
    }
    if ((roll -= rule.lostCreateShare()) < 0) {
      return count(Verdict.LOSE_CREATE_RESPONSE);
    }
    return Verdict.PASS;
  }

  /** Seconds until the oldest call in the window leaves it (for Retry-After). */
  synchronized long retryAfterSeconds(boolean authentication, Instant now) {
    Deque<Instant> calls = authentication ? authCalls : apiCalls;
    Instant oldest = calls.peekFirst();
    return oldest == null
        ? 1
        : Math.max(1, Duration.between(now, oldest.plus(rateWindow)).toSeconds() + 1);
  }

  private synchronized boolean overLimit(Deque<Instant> calls, int limit, Instant now) {
    Instant windowStart = now.minus(rateWindow);
    while (!calls.isEmpty() && calls.peekFirst().isBefore(windowStart)) {
      calls.pollFirst();
    }
    if (calls.size() >= limit) {
      return true;
    }
    calls.addLast(now);
    return false;
  }

  private Verdict count(Verdict verdict) {
    injected.computeIfAbsent(verdict, v -> new AtomicLong()).incrementAndGet();
    return verdict;
  }
}
