package io.cloudconnect.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The service's own settings (prefix {@code cloudconnect}); env names follow Quarkus' mapping. */
@ConfigMapping(prefix = "cloudconnect")
public interface ProvisionerConfig {

  /** How often in-flight attachments are observed upstream (CLOUDCONNECT_POLL_INTERVAL). */
  @WithDefault("15s")
  Duration pollInterval();

  /**
   * Deadline from a request's first create call to Active (CLOUDCONNECT_PROVISIONING_TIMEOUT); the
   * wait for that call has its own limit, {@code creation.max-wait-for-turn}.
   */
  @WithDefault("30m")
  Duration provisioningTimeout();

  Intake intake();

  Creation creation();

  Outbox outbox();

  Leases leases();

  Events events();

  Validation validation();

  Secrets secrets();

  Budget budget();

  Jobs jobs();

  Polling polling();

  Retention retention();

  Deployment deployment();

  Adoption adoption();

  Compensation compensation();

  Sweep sweep();

  Operator operator();

  Auth auth();

  /** Who may call the HTTP API; how tokens are verified is Quarkus' OIDC settings. */
  interface Auth {
    /** The group names that grant each role (see access/Roles, docs/OPERATIONS.md). */
    AuthRoles roles();
  }

  interface AuthRoles {
    /** A producer's status lookup only (CLOUDCONNECT_AUTH_ROLES_STATUS_READER). */
    @WithName("status-reader")
    @WithDefault("status-reader")
    String statusReader();

    /** Every operator read (CLOUDCONNECT_AUTH_ROLES_VIEWER). */
    @WithDefault("viewer")
    String viewer();

    /** Reads and acts (CLOUDCONNECT_AUTH_ROLES_OPERATOR). */
    @WithDefault("operator")
    String operator();

    /** The one-time read of an emnify-generated PSK (CLOUDCONNECT_AUTH_ROLES_PSK_READER). */
    @WithName("psk-reader")
    @WithDefault("psk-reader")
    String pskReader();
  }

  Kafka kafka();

  interface Kafka {
    /**
     * Whether a production service may reach Kafka without TLS
     * (CLOUDCONNECT_KAFKA_ALLOW_PLAINTEXT): requests carry pre-shared keys, so PLAINTEXT and
     * SASL_PLAINTEXT stop the service at start unless this says the broker is the machine's own (a
     * local run, a test).
     */
    @WithName("allow-plaintext")
    @WithDefault("false")
    boolean allowPlaintext();
  }

  interface Operator {
    /**
     * An open request older than this is listed as stuck by the operator API and console
     * (CLOUDCONNECT_OPERATOR_STUCK_AFTER).
     */
    @WithDefault("15m")
    Duration stuckAfter();

    /**
     * The wellness check {@code outbox} is DOWN once the oldest unpublished result event has waited
     * this long (CLOUDCONNECT_OPERATOR_OUTBOX_BEHIND_AFTER).
     */
    @WithDefault("2m")
    Duration outboxBehindAfter();

    /**
     * How often the gauges read from PostgreSQL (requests by state, oldest open request, outbox
     * backlog) are refreshed (CLOUDCONNECT_OPERATOR_GAUGES_REFRESH).
     */
    @WithDefault("15s")
    Duration gaugesRefresh();
  }

  interface Sweep {
    /**
     * How often the orphan sweep lists the organisation for attachments of this deployment that no
     * live request holds (CLOUDCONNECT_SWEEP_INTERVAL); each sweep costs one list (its pages) and a
     * delete per orphan, from the same API budget.
     */
    @WithDefault("1h")
    Duration interval();

    /** The first sweep this long after start (CLOUDCONNECT_SWEEP_FIRST_AFTER). */
    @WithDefault("5m")
    Duration firstAfter();

    /**
     * One replica sweeps per lease (CLOUDCONNECT_SWEEP_LEASE); keep it shorter than the interval.
     */
    @WithDefault("30m")
    Duration lease();
  }

  interface Deployment {
    /**
     * This deployment's marker namespace (CLOUDCONNECT_DEPLOYMENT_NAMESPACE), written into every
     * attachment's description: lower-case letters, digits and dashes, 1-32. Two deployments that
     * share an emnify organisation must use different ones; the orphan sweep touches only its own.
     */
    @WithDefault("default")
    String namespace();
  }

  /**
   * What an adopt request may take over. An attachment that carries another deployment's marker is
   * never adopted, whatever these say.
   */
  interface Adoption {
    /**
     * Whether attachments without this deployment's marker (made in emnify's portal, by another
     * tool, or before markers had namespaces) may be adopted (CLOUDCONNECT_ADOPTION_UNMARKED). Off
     * by default: every producer of the request topic could otherwise take over, read and then
     * delete any attachment of the organisation.
     */
    @WithDefault("false")
    boolean unmarked();

    /**
     * Whether the pre-shared key emnify holds for an adopted attachment may be read through the
     * operator API (once, by a psk-reader) (CLOUDCONNECT_ADOPTION_PSK_READABLE). Off by default:
     * the service did not hand that key out, so it does not know who should have it.
     */
    @WithDefault("false")
    boolean pskReadable();
  }

  interface Compensation {
    /**
     * What happens to the attachment of a request that fails after emnify created it, or may have
     * (CLOUDCONNECT_COMPENSATION_MODE): {@code delete} it (default), or {@code keep} it for
     * inspection. The orphan sweep follows the same setting.
     */
    @WithDefault("delete")
    io.cloudconnect.provisioner.saga.Compensations.Mode mode();

    /**
     * How long a removal may take before the request that waits for it is answered anyway: a failed
     * request with compensation {@code pending}, a delete request with TIMED_OUT
     * (CLOUDCONNECT_COMPENSATION_TIMEOUT). The removal itself goes on.
     */
    @WithDefault("30m")
    Duration timeout();
  }

  interface Retention {
    /**
     * Failed requests (with their published failed event) are deleted this long after they failed
     * (CLOUDCONNECT_RETENTION_FAILED_REQUESTS); a redelivery of one after that is a new request.
     * Keep it longer than the requests topic's retention. Ready requests are kept.
     */
    @WithDefault("30d")
    Duration failedRequests();
  }

  interface Polling {
    /**
     * An accepted attachment is first looked at this long after emnify accepted it (a VPN
     * attachment takes minutes to become Active; looking earlier only spends quota). Before that, a
     * cycle makes no call for it.
     */
    @WithDefault("1m")
    Duration firstLookAfter();

    /**
     * The share of the API budget's refill that looking may spend (CLOUDCONNECT_POLLING_BUDGET_
     * SHARE): list pages, and reads of attachments that may still be pending. A cycle that costs
     * many calls (thousands in flight) is followed by a longer pause than the poll interval, so
     * that creates keep the rest. The reads that finish a request (an Active attachment's details)
     * are not looking: they always go first.
     */
    @WithDefault("0.5")
    double budgetShare();

    /**
     * The share of the refill looking may spend while requests wait for their create call
     * (CLOUDCONNECT_POLLING_BUSY_BUDGET_SHARE): then every call spent on looking is one create
     * fewer, so lists are read less often and the quota goes to creating and finishing.
     */
    @WithDefault("0.02")
    double busyBudgetShare();

    /**
     * The longest the poller waits between two cycles to keep looking within its share
     * (CLOUDCONNECT_POLLING_MAX_PAUSE); by default half the poller lease (30 s). The budget, which
     * every call takes a token from, keeps the quota; this pause only spreads looking out, so it is
     * bounded: at most half a lease (checked at start), so that the replica holding the lease keeps
     * it.
     */
    Optional<Duration> maxPause();

    /**
     * How many in-flight requests a poll cycle holds in memory at once
     * (CLOUDCONNECT_POLLING_IN_FLIGHT_PAGE): a cycle goes through them a page at a time, so memory
     * stays bounded however many are in flight; a list read for one page serves the others.
     */
    @WithDefault("2000")
    int inFlightPage();

    /**
     * {@code planned} (lists or reads by id, whichever is cheaper; see polling/ObservationPlan) or
     * {@code per-resource}: every accepted attachment read by id every poll interval, the way
     * Terraform's waiter observes; about 8 times the calls, kept as the benchmark's reference and
     * as a fallback should emnify's list ever be unusable.
     */
    @WithDefault("planned")
    Strategy strategy();

    enum Strategy {
      PLANNED,
      PER_RESOURCE
    }
  }

  @WithName("clock")
  ClockSettings clock();

  interface ClockSettings {
    /**
     * Added to this replica's own clock, for fault drills only: the service measures and corrects
     * its offset to PostgreSQL's clock (persistence/DatabaseClock), which this rehearses.
     */
    @WithDefault("0s")
    Duration drillSkew();
  }

  interface Jobs {
    /**
     * Whether this replica runs the background jobs (create, poll, relay, purge, region refresh).
     * Off, it only takes requests and answers the status API; component tests drive the passes by
     * hand.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * A background pass that runs longer is abandoned and the next one scheduled, so that a hung
     * call or a half-open database connection cannot stop a job for good. The status poller's cycle
     * is bounded by ten poller leases if that is longer, the orphan sweep's by its own lease.
     */
    @WithDefault("2m")
    Duration passTimeout();
  }

  /**
   * Client-side budgets for the emnify API shared by all replicas through PostgreSQL (token
   * buckets). In any window the most spent is {@code burst + per-window}: the defaults stay below
   * emnify's 2,000 calls and 100 authentications per 5 minutes.
   */
  interface Budget {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("5m")
    Duration window();

    Bucket api();

    Bucket authentication();

    /** How long everyone pauses after a 429 that came without Retry-After. */
    @WithDefault("30s")
    Duration throttledPause();

    interface Bucket {
      /** Calls allowed per window, refilled evenly. */
      int perWindow();

      /** Calls that may be spent at once after a quiet period. */
      int burst();

      /**
       * Tokens a create call leaves in the bucket for the reads that observe what is in flight
       * (CLOUDCONNECT_BUDGET_API_RESERVE); below {@code burst}. Ignored for authentication.
       */
      @WithDefault("10")
      int reserve();
    }
  }

  interface Intake {
    /** Records larger than this are refused before parsing. */
    @WithDefault("65536")
    int maxRecordBytes();
  }

  interface Creation {
    /** How often an idle create lane looks for due requests (a busy one goes on at once). */
    @WithDefault("1s")
    Duration interval();

    /**
     * Create calls in flight at once per replica (CLOUDCONNECT_CREATION_CONCURRENCY): each lane
     * claims one request right before its call, so a slow or hanging call holds up only its own
     * lane, and no claim waits unsent behind another.
     */
    @WithDefault("4")
    int concurrency();

    /** First delay before a create that was certainly not processed upstream is tried again. */
    @WithDefault("5s")
    Duration retryBackoff();

    /** Upper bound of the exponential create back-off. */
    @WithDefault("5m")
    Duration maxRetryBackoff();

    /**
     * A request whose create could not even be submitted (emnify unreachable, throttled) for this
     * long fails with UPSTREAM_UNAVAILABLE instead of waiting for the provisioning deadline.
     */
    @WithDefault("10m")
    Duration maxSubmitAge();

    /**
     * How long an ambiguous create (timeout, 5xx, crash after sending) waits for the attachment to
     * show up in the list before the service concludes it was never created and creates again.
     */
    @WithDefault("2m")
    Duration ambiguousGrace();

    /**
     * Creates wait while emnify refuses authentication; a request fails UNAUTHORIZED only once
     * authentication has been refused this long without a success in between.
     */
    @WithDefault("15m")
    Duration unauthorizedAfter();

    /**
     * How long a request may wait for its first create call (CLOUDCONNECT_CREATION_MAX_WAIT_FOR_
     * TURN): a burst beyond what emnify's quota serves is created at the rate the quota allows, the
     * rest wait their turn as RECEIVED; one that waits longer fails TIMED_OUT without being
     * created.
     */
    @WithDefault("1h")
    Duration maxWaitForTurn();
  }

  interface Outbox {
    /** How often unsent result events are relayed to Kafka. */
    @WithDefault("500ms")
    Duration relayInterval();

    @WithDefault("100")
    int batchSize();

    /** Sent events are purged after this long. */
    @WithDefault("7d")
    Duration retention();

    /** How often what is past its retention (sent events, failed requests) is purged. */
    @WithDefault("1h")
    Duration purgeInterval();

    /**
     * How long a relay holds the events it is publishing before another replica may publish them
     * (CLOUDCONNECT_OUTBOX_CLAIM). Renewed every third of it while Kafka has not answered, so it
     * bounds only how long a crashed replica's events wait, not how long a send may take.
     */
    @WithDefault("30s")
    Duration claim();
  }

  interface Leases {
    /** How long a claim on a saga or a job is held before another replica may take it over. */
    @WithDefault("60s")
    Duration duration();
  }

  interface Events {
    /** CloudEvents {@code source} attribute. */
    @WithDefault("/cloudconnect-provisioner")
    String source();
  }

  interface Validation {
    /**
     * AWS regions emnify offers for VPN attachments: the fallback used until, or whenever, emnify's
     * own list cannot be fetched.
     */
    @WithDefault(
        "us-east-1,us-east-2,us-west-1,us-west-2,ca-central-1,sa-east-1,eu-west-1,eu-west-2,"
            + "eu-west-3,eu-central-1,eu-north-1,eu-south-1,ap-south-1,ap-southeast-1,"
            + "ap-southeast-2,ap-northeast-1,ap-northeast-2,ap-northeast-3,af-south-1,me-south-1")
    List<String> regions();

    /** How often emnify's own region list is fetched again. */
    @WithDefault("1h")
    Duration regionsRefresh();

    /** How long a fetched region list is trusted when refreshing fails. */
    @WithDefault("24h")
    Duration regionsTtl();
  }

  interface Secrets {
    /**
     * Base64 AES-256 key that seals pre-shared keys at rest (CLOUDCONNECT_SECRETS_PSK_KEY).
     * Required in production; dev and test profiles carry a throwaway key.
     */
    @WithName("psk-key")
    Optional<String> pskKey();

    /** Keys that sealed values may still use after a rotation (comma-separated, base64). */
    @WithName("psk-previous-keys")
    Optional<List<String>> pskPreviousKeys();
  }
}
