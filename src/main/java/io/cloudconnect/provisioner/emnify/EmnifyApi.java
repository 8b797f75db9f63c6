package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.AuthRequest;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.CreateVpnBody;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The emnify REST API, declared. Every call returns the raw {@link Response} so that {@link
 * EmnifyClient} alone reads status codes, headers and error bodies and classifies them.
 */
@RegisterRestClient(configKey = "emnify")
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface EmnifyApi {

  @POST
  @Path("/authenticate")
  Uni<Response> authenticate(AuthRequest body);

  @POST
  @Path("/cnc/breakout/vpn")
  Uni<Response> createVpn(@HeaderParam("Authorization") String bearer, CreateVpnBody body);

  @GET
  @Path("/cnc/breakout/{id}")
  Uni<Response> get(@HeaderParam("Authorization") String bearer, @PathParam("id") long id);

  @GET
  @Path("/organisation/my")
  Uni<Response> myOrganisation(@HeaderParam("Authorization") String bearer);

  @DELETE
  @Path("/cnc/breakout/{id}")
  Uni<Response> delete(@HeaderParam("Authorization") String bearer, @PathParam("id") long id);

  @GET
  @Path("/cnc/breakout_type/{type}/available_region")
  Uni<Response> availableRegions(
      @HeaderParam("Authorization") String bearer, @PathParam("type") int type);
}
