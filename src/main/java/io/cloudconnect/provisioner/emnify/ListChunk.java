package io.cloudconnect.provisioner.emnify;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/**
 * One piece of the list call's body as it arrives, with the paging headers of the answer it belongs
 * to. The REST client streams a {@code Multi} body piece by piece and hands each piece, with the
 * answer's headers, to a {@link MessageBodyReader}: this is how the list is parsed as it arrives
 * and its paging headers are still read (a {@code Uni<Response>} would hold the whole body).
 */
record ListChunk(byte[] bytes, Integer totalPages, Integer totalCount) {

  /** Reads a piece: its bytes, and {@code X-Total-Pages} / {@code X-Total-Count} if present. */
  @Consumes(MediaType.WILDCARD)
  static final class Reader implements MessageBodyReader<ListChunk> {
    @Override
    public boolean isReadable(
        Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
      return type == ListChunk.class;
    }

    @Override
    public ListChunk readFrom(
        Class<ListChunk> type,
        Type genericType,
        Annotation[] annotations,
        MediaType mediaType,
        MultivaluedMap<String, String> headers,
        InputStream body)
        throws IOException {
      return new ListChunk(
          body.readAllBytes(), header(headers, "X-Total-Pages"), header(headers, "X-Total-Count"));
    }

    /** A paging header's value; null when missing or unreadable (the list reader decides). */
    static Integer header(Map<String, ? extends List<?>> headers, String name) {
      for (Map.Entry<String, ? extends List<?>> header : headers.entrySet()) {
        if (header.getKey() != null
            && header.getKey().equalsIgnoreCase(name)
            && !header.getValue().isEmpty()) {
          try {
            return Integer.valueOf(String.valueOf(header.getValue().get(0)).trim());
          } catch (NumberFormatException e) {
            return null;
          }
        }
      }
      return null;
    }
  }
}
