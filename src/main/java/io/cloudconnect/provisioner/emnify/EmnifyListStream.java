package io.cloudconnect.provisioner.emnify;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * emnify's list call ({@code GET /api/v1/cnc/breakout}), declared apart from {@link EmnifyApi}
 * because its body is streamed: emnify documents the list without paging (OpenAPI,
 * get-cloud-connect-attachments), so an organisation of 65,000 attachments answers tens of MB at
 * once, and the service parses it as it arrives instead of holding it. Same configuration as {@link
 * EmnifyApi} (configKey {@code emnify}).
 */
@RegisterRestClient(configKey = "emnify")
@RegisterProvider(ListChunk.Reader.class)
@Path("/api/v1")
interface EmnifyListStream {

  @GET
  @Path("/cnc/breakout")
  @Produces(MediaType.APPLICATION_JSON)
  Multi<ListChunk> list(
      @HeaderParam("Authorization") String bearer,
      @QueryParam("status") Integer status,
      @QueryParam("type") Integer type,
      @QueryParam("organisation") Long organisation,
      @QueryParam("page") int page,
      @QueryParam("per_page") int perPage);

  /**
   * An answer other than 2xx is not streamed: it reaches {@link EmnifyCalls} whole, as a {@link
   * Response}, and is judged there like every other call's answer (a fresh token on 401, a pause on
   * 429, emnify's error text).
   */
  @ClientExceptionMapper
  static RuntimeException refused(Response response) {
    return new Refused(response);
  }

  /** A non-2xx answer to the list, carried to {@link EmnifyCalls} (no message: nothing to leak). */
  final class Refused extends RuntimeException {
    private final transient Response response;

    Refused(Response response) {
      super("list answered " + response.getStatus(), null, false, false);
      this.response = response;
    }

    Response response() {
      return response;
    }
  }
}
