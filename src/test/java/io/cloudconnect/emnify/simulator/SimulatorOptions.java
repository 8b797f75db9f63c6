package io.cloudconnect.emnify.simulator;

import java.time.Duration;
import java.util.List;

/**
 * How a simulator instance behaves. The launcher reads them from command-line flags; tests build
 * them directly.
 *
 * @param host address to listen on (127.0.0.1 locally, 0.0.0.0 in a container)
 * @param port port to listen on; 0 picks a free one
 * @param applicationToken the only application token authenticate accepts
 * @param tokenLifetime lifetime of issued auth tokens (emnify: about 4 hours)
 * @param statusStep time spent in each pending status (2, 3, 4) before the next; emnify takes 3-5
 *     minutes in all
 * @param rateLimits whether emnify's rate limits (2,000 calls and 100 authentications per 5 minutes
 *     and IP) apply
 * @param regions what the available_region call lists
 * @param lockout how long three failed authentications in a row lock the account out (emnify: 5
 *     minutes)
 * @param perPageCap the largest {@code per_page} the list honours when it pages (emnify publishes
 *     none for this list; larger values are capped, as its collections do)
 * @param pagedList whether the attachment list pages. emnify documents {@code GET
 *     /api/v1/cnc/breakout} (OAS-CC operation get-cloud-connect-attachments) with the query
 *     parameters status, type and organisation only, no paging: by default the whole list comes in
 *     one answer, {@code page} and {@code per_page} are ignored and no {@code X-Total-*} header is
 *     sent. Paged (emnify's collections guide, DOC-PAGE) is the option.
 */
public record SimulatorOptions(
    String host,
    int port,
    String applicationToken,
    Duration tokenLifetime,
    Duration statusStep,
    boolean rateLimits,
    List<String> regions,
    Duration lockout,
    int perPageCap,
    boolean pagedList) {

  public static final String APPLICATION_TOKEN = "simulator-application-token";
  public static final List<String> REGIONS =
      List.of(
          "eu-west-1",
          "eu-central-1",
          "us-east-1",
          "us-west-2",
          "ap-southeast-1",
          "ap-northeast-1");

  /** emnify's own pace and limits, on 127.0.0.1:8089. */
  public static SimulatorOptions defaults() {
    return new SimulatorOptions(
        "127.0.0.1",
        8089,
        APPLICATION_TOKEN,
        Duration.ofHours(4),
        Duration.ofSeconds(60),
        true,
        REGIONS,
        Duration.ofMinutes(5),
        1000,
        false);
  }

  /** A free port, a fast status clock, no rate limits: what component and flow tests want. */
  public static SimulatorOptions forTests(Duration statusStep) {
    return defaults().onPort(0).withStatusStep(statusStep).withRateLimits(false);
  }

  public SimulatorOptions onPort(int newPort) {
    return new SimulatorOptions(
        host,
        newPort,
        applicationToken,
        tokenLifetime,
        statusStep,
        rateLimits,
        regions,
        lockout,
        perPageCap,
        pagedList);
  }

  public SimulatorOptions onHost(String newHost) {
    return new SimulatorOptions(
        newHost,
        port,
        applicationToken,
        tokenLifetime,
        statusStep,
        rateLimits,
        regions,
        lockout,
        perPageCap,
        pagedList);
  }

  public SimulatorOptions withStatusStep(Duration step) {
    return new SimulatorOptions(
        host,
        port,
        applicationToken,
        tokenLifetime,
        step,
        rateLimits,
        regions,
        lockout,
        perPageCap,
        pagedList);
  }

  public SimulatorOptions withRateLimits(boolean enabled) {
    return new SimulatorOptions(
        host,
        port,
        applicationToken,
        tokenLifetime,
        statusStep,
        enabled,
        regions,
        lockout,
        perPageCap,
        pagedList);
  }

  public SimulatorOptions withLockout(Duration duration) {
    return new SimulatorOptions(
        host,
        port,
        applicationToken,
        tokenLifetime,
        statusStep,
        rateLimits,
        regions,
        duration,
        perPageCap,
        pagedList);
  }

  /** A paged list (DOC-PAGE) of at most {@code cap} attachments a page. */
  public SimulatorOptions withPerPageCap(int cap) {
    return new SimulatorOptions(
        host,
        port,
        applicationToken,
        tokenLifetime,
        statusStep,
        rateLimits,
        regions,
        lockout,
        cap,
        true);
  }

  /** The list as documented (unpaged) or paged with this instance's cap. */
  public SimulatorOptions withPagedList(boolean paged) {
    return new SimulatorOptions(
        host,
        port,
        applicationToken,
        tokenLifetime,
        statusStep,
        rateLimits,
        regions,
        lockout,
        perPageCap,
        paged);
  }

  /**
   * Reads {@code --host H --port N --status-step 3s --rate-limits true|false --list-paging
   * documented|paged --per-page-cap N} (a cap makes the list paged); durations take a unit suffix
   * (ms, s, m, h).
   */
  static SimulatorOptions fromArgs(String[] args) {
    SimulatorOptions options = defaults();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      options =
          switch (args[i]) {
            case "--host" -> options.onHost(value);
            case "--port" -> options.onPort(Integer.parseInt(value));
            case "--status-step" -> options.withStatusStep(duration(value));
            case "--rate-limits" -> options.withRateLimits(Boolean.parseBoolean(value));
            case "--per-page-cap" -> options.withPerPageCap(Integer.parseInt(value));
            case "--list-paging" -> options.withPagedList(listPaging(value));
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          };
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("option " + args[args.length - 1] + " has no value");
    }
    return options;
  }

  private static boolean listPaging(String value) {
    return switch (value) {
      case "documented" -> false;
      case "paged" -> true;
      default ->
          throw new IllegalArgumentException("--list-paging is documented or paged, not " + value);
    };
  }

  static Duration duration(String text) {
    String value = text.trim();
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    long amount = Long.parseLong(value.substring(0, value.length() - 1));
    return switch (value.charAt(value.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("duration needs a unit (ms, s, m, h): " + text);
    };
  }
}
