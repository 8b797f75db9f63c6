package io.cloudconnect.provisioner.emnify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudconnect.provisioner.config.EmnifyConfig;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.cloudconnect.provisioner.emnify.UpstreamException.Answer;
import io.cloudconnect.provisioner.emnify.UpstreamException.Fault;
import io.cloudconnect.provisioner.emnify.UpstreamException.Kind;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Each call to emnify as one guarded attempt: the shared auth token (re-authenticating once on
 * 401), a token of the shared budget taken right before it is sent (never waited for here: a spent
 * budget is an answer, so it is neither retried nor counted by a breaker), a timeout and a named
 * circuit breaker that counts faults but not emnify's final answers (a 400 says nothing about
 * emnify's health). Reads are retried with exponential back-off; the create call is not, because
 * emnify has no idempotency key and a retried create after a lost answer is a second, billed
 * attachment: its unknown outcome goes back to the saga instead. Only {@link EmnifyClient} calls
 * these: it waits for the budget and the auth token outside the timeouts.
 */
@ApplicationScoped
public class EmnifyCalls {
  /** Bodies are read by the REST client's JSON provider, i.e. with the service's ObjectMapper. */
  private static final GenericType<List<Attachment>> ATTACHMENTS = new GenericType<>() {};

  private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-\\d");

  private final EmnifyApi api;
  private final EmnifyListStream listStream;
  private final ObjectMapper json;
  private final AuthTokenCache tokens;
  private final ApiBudget budget;
  private final int pageSize;
  private final io.micrometer.core.instrument.MeterRegistry metrics;

  EmnifyCalls(
      @RestClient EmnifyApi api,
      @RestClient EmnifyListStream listStream,
      ObjectMapper json,
      AuthTokenCache tokens,
      ApiBudget budget,
      EmnifyConfig config,
      io.micrometer.core.instrument.MeterRegistry metrics) {
    this.api = api;
    this.listStream = listStream;
    this.json = json;
    this.tokens = tokens;
    this.budget = budget;
    this.pageSize = config.listPageSize();
    this.metrics = metrics;
  }

  /** How many attachments a list page is asked for ({@code per_page}). */
  public int pageSize() {
    return pageSize;
  }

  /** Creates a VPN attachment and returns its id, read from the 201's Location header. */
  @AsynchronousNonBlocking
  @Timeout
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-create")
  public Uni<Long> createVpn(CreateVpnBody body) {
    Secret psk = body.psk() == null ? null : Secret.of(body.psk());
    return authorized(bearer -> api.createVpn(bearer, body), "create", psk)
        .map(response -> attachmentIdFrom(response));
  }

  /** One attachment with its tunnel information; emnify answers with a one-element array. */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-get")
  public Uni<Attachment> get(long id) {
    return authorized(bearer -> api.get(bearer, id), "get attachment", null)
        .map(
            response -> {
              expect(response, 200, "get attachment");
              List<Attachment> found = read(response);
              if (found.isEmpty()) {
                throw new Answer(
                    Kind.NOT_FOUND, 200, "get attachment answered an empty array", null);
              }
              return found.get(0);
            });
  }

  /**
   * The pre-shared key emnify shows for an Active VPN attachment ({@code tunnel_information.psk};
   * OpenAPI, get by id: "the tunnel information (public IP, outside address, inside CIDR, PSK,
   * ASN)"), for the operator API's one-time read. Read from the raw answer and held as a {@link
   * Secret} only: the attachment mapping leaves the PSK out on purpose. Empty when emnify shows
   * none (not Active, or not a VPN).
   */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-psk")
  public Uni<java.util.Optional<Secret>> presharedKey(long id) {
    return authorized(bearer -> api.get(bearer, id), "get attachment", null)
        .map(
            response -> {
              expect(response, 200, "get attachment");
              JsonNode psk;
              try {
                psk =
                    response
                        .readEntity(JsonNode.class)
                        .path(0)
                        .path("tunnel_information")
                        .path("psk");
              } catch (RuntimeException e) {
                throw new Fault(Kind.NOT_SENT, 200, "get attachment answered no array", null);
              }
              return psk.isTextual() && !psk.asText().isEmpty()
                  ? java.util.Optional.of(Secret.of(psk.asText()))
                  : java.util.Optional.<Secret>empty();
            });
  }

  /**
   * Deletes an attachment (OpenAPI, delete operation: 200; refused in status 7 and 8). Retried on
   * faults: a second delete of the same attachment deletes nothing more.
   */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-delete")
  public Uni<Void> delete(long id) {
    return authorized(bearer -> api.delete(bearer, id), "delete attachment", null)
        .replaceWithVoid();
  }

  /**
   * One page of {@code organisation}'s attachments (deleted ones are left out by emnify), of one
   * status and one type when given. The organisation is always given: a Master organisation's
   * unfiltered list shows its child organisations' attachments instead of its own (OpenAPI, list
   * operation).
   */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-list")
  public Uni<Page> listPage(Integer status, Integer type, long organisation, int page) {
    return authorized(
            bearer -> streamed(listStream.list(bearer, status, type, organisation, page, pageSize)),
            "list attachments",
            null)
        .map(
            response -> {
              expect(response, 200, "list attachments");
              return ((Streamed) response.getEntity()).page(page);
            });
  }

  /** A list answer read as it arrived: the attachments and the paging headers it carried. */
  private record Streamed(List<Attachment> attachments, Integer totalPages, Integer totalCount) {
    Page page(int page) {
      return new Page(attachments, page, totalPages, totalCount);
    }
  }

  /**
   * The streamed list as an answer like any other call's: a 200 whose entity is what was read, or
   * emnify's refusal as it came. A body that is not an attachment array, or ends before the array
   * does (a connection cut mid-answer), is a fault.
   */
  private Uni<Response> streamed(Multi<ListChunk> body) {
    AtomicReference<ListChunk> first = new AtomicReference<>();
    return Uni.createFrom()
        .deferred(
            () -> {
              ListedAttachments reading;
              try {
                reading = new ListedAttachments(json);
              } catch (IOException e) {
                return Uni.createFrom().failure(e);
              }
              return body.onItem()
                  .invoke(chunk -> first.compareAndSet(null, chunk))
                  .collect()
                  .with(
                      java.util.stream.Collector.of(
                          () -> reading,
                          (r, chunk) -> feed(r, chunk),
                          (a, b) -> a,
                          EmnifyCalls::finish));
            })
        .map(
            attachments -> {
              ListChunk head = first.get();
              return Response.ok(
                      new Streamed(
                          attachments,
                          head == null ? null : head.totalPages(),
                          head == null ? null : head.totalCount()))
                  .build();
            })
        .onFailure(EmnifyCalls::refusal)
        .recoverWithItem(e -> refusalOf(e).response());
  }

  private static void feed(ListedAttachments reading, ListChunk chunk) {
    try {
      reading.feed(chunk.bytes());
    } catch (IOException e) {
      throw notAnArray(e);
    }
  }

  private static List<Attachment> finish(ListedAttachments reading) {
    try {
      return reading.finish();
    } catch (IOException e) {
      throw notAnArray(e);
    }
  }

  private static Fault notAnArray(IOException e) {
    String why = e instanceof ListedAttachments.Malformed ? e.getMessage() : "unreadable JSON";
    return new Fault(
        Kind.NOT_SENT, 200, "emnify answered a list that is not an attachment array: " + why, null);
  }

  private static boolean refusal(Throwable failure) {
    return refusalOf(failure) != null;
  }

  /** The REST client may wrap what the list's exception mapper threw. */
  private static EmnifyListStream.Refused refusalOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EmnifyListStream.Refused refused) {
        return refused;
      }
    }
    return null;
  }

  /** The id of the organisation the application token belongs to ({@code /organisation/my}). */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-organisation")
  public Uni<Long> myOrganisationId() {
    return authorized(api::myOrganisation, "my organisation", null)
        .map(
            response -> {
              expect(response, 200, "my organisation");
              JsonNode id;
              try {
                id = response.readEntity(JsonNode.class).path("id");
              } catch (RuntimeException e) {
                id = null;
              }
              if (id == null || !id.canConvertToLong() || id.asLong() <= 0) {
                throw new Fault(
                    Kind.NOT_SENT, 200, "my organisation answered without a numeric id", null);
              }
              return id.asLong();
            });
  }

  /**
   * The AWS region names emnify offers for a breakout type. emnify answers an array of {@code
   * {"attachment_region": "eu-west-1", "device_breakout_region": "eu-west-1"}} (OpenAPI schema
   * CloudConnectAvailableRegion); the attachment's region is {@code attachment_region}. An answer
   * of another shape is a fault, not an empty list: an empty list is emnify's to say.
   */
  @AsynchronousNonBlocking
  @Timeout
  @Retry(retryOn = Fault.class)
  @ExponentialBackoff
  @CircuitBreaker(skipOn = Answer.class)
  @CircuitBreakerName("emnify-regions")
  public Uni<Set<String>> availableRegions(int type) {
    return authorized(bearer -> api.availableRegions(bearer, type), "available regions", null)
        .map(
            response -> {
              expect(response, 200, "available regions");
              return regionNames(response);
            });
  }

  private static Set<String> regionNames(Response response) {
    JsonNode array;
    try {
      array = response.readEntity(JsonNode.class);
    } catch (RuntimeException e) {
      array = null;
    }
    if (array == null || !array.isArray()) {
      throw new Fault(
          Kind.NOT_SENT, response.getStatus(), "available regions answered no array", null);
    }
    Set<String> names = new TreeSet<>();
    for (JsonNode entry : array) {
      JsonNode region = entry.path("attachment_region");
      if (region.isTextual() && AWS_REGION.matcher(region.asText()).matches()) {
        names.add(region.asText());
      }
    }
    if (names.isEmpty() && !array.isEmpty()) {
      throw new Fault(
          Kind.NOT_SENT,
          response.getStatus(),
          "available regions answered " + array.size() + " entries without an attachment_region",
          null);
    }
    return names;
  }

  /** {@code secret}: what the call's body carries, redacted from emnify's error text. */
  private Uni<Response> authorized(
      Function<String, Uni<Response>> call, String name, Secret secret) {
    return bearerToken()
        .chain(
            token ->
                send(call, token, name)
                    .chain(
                        response -> {
                          if (response.getStatus() != 401) {
                            return Uni.createFrom().item(response);
                          }
                          // the token expired or was revoked early: one fresh token, one more try
                          tokens.invalidate(token);
                          return bearerToken().chain(fresh -> send(call, fresh, name));
                        }))
        .map(
            response -> {
              if (response.getStatus() >= 300 || response.getStatus() < 200) {
                throw UpstreamFailures.fromResponse(response, name, name.equals("create"), secret);
              }
              return response;
            });
  }

  /** Every attempt spends a token of the shared budget first; a 429 pauses all replicas. */
  private Uni<Response> send(Function<String, Uni<Response>> call, String token, String name) {
    return budget
        .take(ApiBudget.API, name.equals("create"))
        .chain(() -> call.apply("Bearer " + token))
        .onFailure(t -> !(t instanceof UpstreamException))
        .transform(t -> UpstreamFailures.classify(t, name))
        .call(
            response -> {
              if (response.getStatus() != 429) {
                return Uni.createFrom().voidItem();
              }
              metrics.counter("cloudconnect.emnify.throttled", "call", name).increment();
              return budget.pause(ApiBudget.API, UpstreamFailures.retryAfter(response));
            });
  }

  /** Authentication trouble means the call itself was never sent. */
  private Uni<String> bearerToken() {
    return tokens
        .token()
        .onFailure()
        .transform(
            t -> {
              UpstreamException failure = UpstreamFailures.classify(t, "authenticate");
              if (failure.kind() == Kind.UNAUTHORIZED || failure.kind() == Kind.THROTTLED) {
                return failure;
              }
              return new Fault(Kind.NOT_SENT, failure.status(), failure.getMessage(), null);
            });
  }

  /**
   * The new attachment's id, from the 201's {@code Location} (emnify's OpenAPI documents it). Any
   * other 2xx, or a Location without an id, still proves the attachment was created: that is an
   * answer of its own, not an ambiguous outcome that could lead to a second create.
   */
  private static long attachmentIdFrom(Response response) {
    String location = response.getHeaderString("Location");
    int status = response.getStatus();
    if (status == 201 && location != null && !location.isBlank()) {
      try {
        String path = URI.create(location.trim()).getPath();
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        if (id > 0) {
          return id; // emnify's ids are positive: anything else is no id at all
        }
      } catch (RuntimeException e) {
        // fall through: created, id unreadable
      }
    }
    throw new Answer(
        Kind.CREATED_ID_UNKNOWN,
        status,
        "create answered " + status + " without a usable Location header",
        null);
  }

  private static void expect(Response response, int status, String call) {
    if (response.getStatus() != status) {
      throw UpstreamFailures.fromResponse(response, call, false);
    }
  }

  private static List<Attachment> read(Response response) {
    try {
      return response.readEntity(ATTACHMENTS);
    } catch (Exception e) {
      throw new Fault(
          Kind.NOT_SENT,
          response.getStatus(),
          "emnify answered a body that is not an attachment array",
          null);
    }
  }
}
