package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.cloudconnect.provisioner.secrets.Secret;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The service's only door to emnify. What may take time before a call is sent happens here, outside
 * the call's timeout and circuit breaker ({@link EmnifyCalls}): the auth token is obtained first (a
 * slow authentication is not a slow create, and a create is never sent after its timeout said its
 * outcome is unknown), and a read that finds the shared budget spent for a moment waits for the
 * refill and is tried again, so that waiting for quota never counts as emnify timing out nor opens
 * a breaker. A create does not wait: its request goes back to wait its turn.
 */
@ApplicationScoped
public class EmnifyClient {
  private final EmnifyCalls calls;
  private final AuthTokenCache tokens;
  private final ApiBudget budget;

  EmnifyClient(EmnifyCalls calls, AuthTokenCache tokens, ApiBudget budget) {
    this.calls = calls;
    this.tokens = tokens;
    this.budget = budget;
  }

  /** How many attachments a list page is asked for ({@code per_page}). */
  public int pageSize() {
    return calls.pageSize();
  }

  /** Creates a VPN attachment and returns its id, read from the 201's Location header. */
  public Uni<Long> createVpn(CreateVpnBody body) {
    return authenticated(() -> calls.createVpn(body));
  }

  /** One attachment with its tunnel information; emnify answers with a one-element array. */
  public Uni<Attachment> get(long id) {
    return read(() -> calls.get(id));
  }

  /** The pre-shared key emnify shows for an Active VPN attachment, for the one-time read. */
  public Uni<Optional<Secret>> presharedKey(long id) {
    return read(() -> calls.presharedKey(id));
  }

  /** Deletes an attachment (refused by emnify in status 7 and 8). */
  public Uni<Void> delete(long id) {
    return read(() -> calls.delete(id));
  }

  /** One page (or, as emnify documents the call, all) of the organisation's attachments. */
  public Uni<Page> listPage(Integer status, Integer type, long organisation, int page) {
    return read(() -> calls.listPage(status, type, organisation, page));
  }

  /** The id of the organisation the application token belongs to. */
  public Uni<Long> myOrganisationId() {
    return read(calls::myOrganisationId);
  }

  /** The AWS region names emnify offers for a breakout type. */
  public Uni<Set<String>> availableRegions(int type) {
    return read(() -> calls.availableRegions(type));
  }

  /** A call other than a create: the budget's brief waits around it, then the call. */
  private <T> Uni<T> read(Supplier<Uni<T>> call) {
    return authenticated(() -> budget.briefWaits(call));
  }

  /**
   * The auth token first, so that the call's timeout covers the call alone. A failed authentication
   * is left to the call itself, which classifies it (a refused token, a fault).
   */
  private <T> Uni<T> authenticated(Supplier<Uni<T>> call) {
    return tokens.token().onFailure().recoverWithNull().chain(ignored -> call.get());
  }
}
