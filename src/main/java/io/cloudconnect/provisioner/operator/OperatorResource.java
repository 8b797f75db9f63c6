package io.cloudconnect.provisioner.operator;

import static io.cloudconnect.provisioner.access.Roles.OPERATOR;
import static io.cloudconnect.provisioner.access.Roles.PSK_READER;
import static io.cloudconnect.provisioner.access.Roles.VIEWER;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator API (docs/OPERATIONS.md): read with role {@code viewer} (or {@code operator}), act
 * with role {@code operator}, read a generated PSK once with role {@code psk-reader} (role names
 * are settings, see {@link io.cloudconnect.provisioner.access.Roles}). Reads come from {@link
 * OperatorReadModel}, acts from {@link OperatorFacade}; this class maps HTTP and writes the one
 * audit line each act takes, with its reason. Authentication is Quarkus' (OIDC bearer tokens).
 */
@Path("/operator")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OperatorResource {

  /** An act's body: why the operator does it. */
  public record Reason(String reason) {}

  /** A dead-lettered record to replay, and why. */
  public record Replay(int partition, long offset, String reason) {}

  private final OperatorReadModel reads;
  private final OperatorFacade acts;
  private final SecurityIdentity identity;

  OperatorResource(OperatorReadModel reads, OperatorFacade acts, SecurityIdentity identity) {
    this.reads = reads;
    this.acts = acts;
    this.identity = identity;
  }

  @GET
  @Path("/requests")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<OperatorReadModel.Page> requests(@BeanParam RequestQuery.Params params) {
    return reads.requests(params);
  }

  @GET
  @Path("/requests/counts")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<Map<String, Long>> counts() {
    return reads.counts();
  }

  @GET
  @Path("/requests/{id}")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<RequestView> request(@PathParam("id") String id) {
    return reads
        .request(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundException("no request " + id));
  }

  @GET
  @Path("/overview")
  @RolesAllowed({VIEWER, OPERATOR})
  public Uni<Overview> overview() {
    return reads.overview();
  }

  /** Blocking (reads the dead-letter topic), so it runs on a worker thread. */
  @GET
  @Path("/dead-letters")
  @RolesAllowed({VIEWER, OPERATOR})
  public List<DeadLetters.Entry> deadLetters(@QueryParam("limit") @DefaultValue("20") int limit) {
    return reads.deadLetters(limit);
  }

  @POST
  @Path("/requests/{id}/cancel")
  @RolesAllowed(OPERATOR)
  public Uni<Response> cancel(@PathParam("id") String id, Reason body) {
    return audited("cancel", id, body, () -> acts.cancel(id));
  }

  @POST
  @Path("/requests/{id}/recheck")
  @RolesAllowed(OPERATOR)
  public Uni<Response> recheck(@PathParam("id") String id, Reason body) {
    return audited("recheck", id, body, () -> acts.recheck(id));
  }

  @POST
  @Path("/requests/{id}/republish")
  @RolesAllowed(OPERATOR)
  public Uni<Response> republish(@PathParam("id") String id, Reason body) {
    return audited("republish", id, body, () -> acts.republish(id));
  }

  /** Blocking (reads the dead-letter topic), so it runs on a worker thread. */
  @POST
  @Path("/dead-letters/replay")
  @RolesAllowed(OPERATOR)
  public Response replay(Replay body) {
    if (body == null) {
      throw new BadRequestException("a body {partition, offset, reason} is required");
    }
    String reason = reason(new Reason(body.reason()));
    String target = "partition " + body.partition() + " offset " + body.offset();
    return answer("replay", target, reason, acts.replay(body.partition(), body.offset()), who());
  }

  @POST
  @Path("/sweep")
  @RolesAllowed(OPERATOR)
  public Uni<Response> sweepNow(Reason body) {
    return audited("sweep", "organisation", body, acts::sweep);
  }

  /** The PSK emnify generated, once, never stored or logged ({@link PskRetrieval}). */
  @POST
  @Path("/requests/{id}/psk")
  @RolesAllowed(PSK_READER)
  public Uni<Response> presharedKey(@PathParam("id") String id, Reason body) {
    String who = who();
    return audited("psk-read", id, body, () -> acts.presharedKey(id, who));
  }

  /** The reason is checked before anything is done; the audit line is written once it is done. */
  private Uni<Response> audited(
      String action, String target, Reason body, Supplier<Uni<OperatorFacade.Acted>> act) {
    String reason = reason(body);
    String who = who();
    return act.get().map(acted -> answer(action, target, reason, acted, who));
  }

  /** Answers to acts are never cached: one of them carries a key. */
  private static Response answer(
      String action, String target, String reason, OperatorFacade.Acted acted, String who) {
    Audit.record(who, action, target, reason, acted.result());
    return Response.status(acted.status())
        .type(MediaType.APPLICATION_JSON)
        .entity(acted.body())
        .header("Cache-Control", "no-store")
        .build();
  }

  private String who() {
    return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
  }

  private static String reason(Reason body) {
    if (body == null || body.reason() == null || body.reason().isBlank()) {
      throw new BadRequestException("a reason is required: {\"reason\": \"...\"}");
    }
    return body.reason();
  }
}
