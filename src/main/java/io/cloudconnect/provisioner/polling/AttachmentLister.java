package io.cloudconnect.provisioner.polling;

import io.cloudconnect.provisioner.emnify.EmnifyClient;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every page of the list call. emnify's {@code status} filter takes a single status, and the
 * poller must see pending, Active, Deactivated and Rolling Back attachments alike, so the list is
 * read unfiltered by status (filtered by type when all in-flight requests share one) and sorted out
 * here: one call per page observes every in-flight attachment at once.
 */
@ApplicationScoped
class AttachmentLister {
  /** A guard against a page count that never ends (a misbehaving upstream). */
  private static final int MAX_PAGES = 1000;

  private final EmnifyClient emnify;

  AttachmentLister(EmnifyClient emnify) {
    this.emnify = emnify;
  }

  Uni<List<Attachment>> listAll(Integer type) {
    return readFrom(type, 1, new ArrayList<>());
  }

  private Uni<List<Attachment>> readFrom(Integer type, int page, List<Attachment> seen) {
    return emnify
        .listPage(type, page)
        .chain(
            result -> {
              seen.addAll(result.items());
              return hasMore(result, page) && page < MAX_PAGES
                  ? readFrom(type, page + 1, seen)
                  : Uni.createFrom().item(seen);
            });
  }

  private static boolean hasMore(Page result, int page) {
    return !result.items().isEmpty() && result.totalPages() > page;
  }
}
