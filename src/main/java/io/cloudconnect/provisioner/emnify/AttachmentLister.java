package io.cloudconnect.provisioner.emnify;

import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.cloudconnect.provisioner.metrics.Deferrals;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Reads every page of the list call. emnify's {@code status} filter takes a single status, and the
 * poller must see pending, Active, Deactivated and Rolling Back attachments alike, so the list is
 * read unfiltered by status (filtered by type when all in-flight requests share one) and sorted out
 * here: one call per page observes every in-flight attachment at once.
 *
 * <p>emnify documents this call without paging (OpenAPI, get-cloud-connect-attachments: the query
 * parameters status, type and organisation only): the whole list comes in one answer, {@code page}
 * and {@code per_page} are ignored, no paging header is sent. emnify's collections guide describes
 * paging with {@code X-Total-*} headers and a capped {@code per_page} for large collections. The
 * reader asks for pages and tells the two shapes apart by what comes back: more items than it asked
 * for, or a second page that repeats the first, is the whole list at once.
 *
 * <p>Only a complete list proves that an attachment does not exist, so completeness is checked, not
 * assumed: with {@code X-Total-Pages} every page up to it was read and none came back empty early;
 * with {@code X-Total-Count} every page reported the same count and that many distinct attachments
 * were seen (a deletion during an offset-paged read shifts an item past the reader, an insertion
 * changes the count). Without paging headers a short page, a page larger than asked for, or a page
 * that repeats what was seen (emnify answers a page past the last with the last) ends the list.
 */
@ApplicationScoped
public class AttachmentLister {
  private static final Logger LOG = Logger.getLogger(AttachmentLister.class);

  /** A guard against a page count that never ends (a misbehaving upstream). */
  static final int MAX_PAGES = 1000;

  /** The attachments read, whether they are known to be all of them, and the calls it took. */
  public record Listing(List<Attachment> attachments, boolean complete, int calls) {}

  /** One page of the list, as emnify answers it (EmnifyClient::listPage). */
  interface PageSource {
    Uni<Page> page(Integer status, Integer type, long organisation, int page);
  }

  private final PageSource source;
  private final Uni<Long> organisation;
  private final int pageSize;
  private final MeterRegistry metrics;

  private final Deferrals deferrals;

  @Inject
  AttachmentLister(
      EmnifyClient emnify,
      OwnOrganisation organisation,
      MeterRegistry metrics,
      Deferrals deferrals) {
    this(
        emnify::listPage,
        Uni.createFrom().deferred(organisation::id),
        emnify.pageSize(),
        metrics,
        deferrals);
  }

  AttachmentLister(PageSource source, Uni<Long> organisation, int pageSize, MeterRegistry metrics) {
    this(source, organisation, pageSize, metrics, new Deferrals(metrics));
  }

  private AttachmentLister(
      PageSource source,
      Uni<Long> organisation,
      int pageSize,
      MeterRegistry metrics,
      Deferrals deferrals) {
    this.source = source;
    this.organisation = organisation;
    this.pageSize = pageSize;
    this.metrics = metrics;
    this.deferrals = deferrals;
  }

  /** How long a learned organisation size is trusted before the whole list is read again. */
  private static final long SIZE_TRUSTED_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  /** Pages the last complete read of the whole organisation took, and when. */
  private volatile int fullListPages = 1;

  private volatile long fullListReadAt = System.nanoTime() - SIZE_TRUSTED_NANOS;

  /** Every attachment of the service's own organisation (of one type, if given). */
  public Uni<Listing> listAll(Integer type) {
    Reading reading = new Reading();
    return organisation
        .chain(org -> readFrom(null, type, org, reading))
        .invoke(
            listing -> {
              if (listing.complete()) {
                fullListPages = Math.max(1, reading.pagesRead);
                fullListReadAt = System.nanoTime();
              }
            });
  }

  /**
   * What reading the whole organisation costs, in pages (for the poller's plan): as last read, or,
   * when unknown or older than 10 minutes, as the first page says (one call every 10 minutes,
   * whatever the organisation's size): its {@code X-Total-Pages}; without the header, one page when
   * the answer was short or larger than asked for (the whole list at once, as documented), two when
   * it was exactly full. A failed look keeps the last figure and is tried again next time: a guess
   * of "many" would make the poller hold back for nothing; the deferral is reported for {@code
   * job}, the pass that asked.
   */
  public Uni<Integer> fullListPages(Integer type, String job) {
    if (System.nanoTime() - fullListReadAt <= SIZE_TRUSTED_NANOS) {
      return Uni.createFrom().item(fullListPages);
    }
    return organisation
        .chain(org -> source.page(null, type, org, 1))
        .map(
            first -> {
              int pages = pagesFrom(first, pageSize);
              fullListPages = pages;
              fullListReadAt = System.nanoTime();
              return pages;
            })
        .onFailure()
        .recoverWithItem(
            e -> {
              deferrals.deferred(
                  job,
                  "list-size-unknown",
                  String.format(
                      "the organisation's list size is unknown this cycle (%s); %d page(s)"
                          + " assumed, looked at again next cycle",
                      e.getClass().getSimpleName(), fullListPages));
              return fullListPages;
            });
  }

  /** The pages a whole-list read takes, judged from its first answer. */
  static int pagesFrom(Page first, int pageSize) {
    if (first.totalPages() != null) {
      return Math.max(1, first.totalPages());
    }
    return first.items().size() == pageSize ? 2 : 1;
  }

  /**
   * The own organisation's attachments in any of {@code statuses} (emnify's filter takes one status
   * a call): complete when each status's list is.
   */
  public Uni<Listing> listStatuses(List<Integer> statuses, Integer type) {
    return organisation.chain(
        org ->
            Multi.createFrom()
                .iterable(statuses)
                .onItem()
                .transformToUniAndConcatenate(status -> readFrom(status, type, org, new Reading()))
                .collect()
                .asList()
                .map(AttachmentLister::merged));
  }

  private static Listing merged(List<Listing> listings) {
    Map<Long, Attachment> all = new LinkedHashMap<>();
    listings.forEach(l -> l.attachments().forEach(a -> all.putIfAbsent(a.id(), a)));
    return new Listing(
        List.copyOf(all.values()),
        listings.stream().allMatch(Listing::complete),
        listings.stream().mapToInt(Listing::calls).sum());
  }

  /**
   * Page after page until the reading says the list ended, or {@link #MAX_PAGES}: repeated, not
   * recursed, so that pages answered at once (a cached or local source) do not grow the stack.
   */
  private Uni<Listing> readFrom(Integer status, Integer type, long org, Reading reading) {
    AtomicInteger page = new AtomicInteger();
    AtomicBoolean more = new AtomicBoolean(true);
    return Multi.createBy()
        .repeating()
        .uni(() -> source.page(status, type, org, page.incrementAndGet()))
        .whilst(
            result -> {
              more.set(reading.add(result, pageSize));
              return more.get() && page.get() < MAX_PAGES;
            })
        .collect()
        .last()
        .map(ignored -> reading.finish(more.get(), this::incomplete));
  }

  private void incomplete(String why) {
    LOG.warnf("emnify's attachment list looks incomplete (%s): no absence concluded from it", why);
    metrics.counter("cloudconnect_list_incomplete_total").increment();
  }

  /** The state of one read, page by page. */
  private static final class Reading {
    private final Map<Long, Attachment> seen = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private Integer totalPages;
    private Integer totalCount;
    private boolean countChanged;

    private int pagesRead;

    /** Takes one page in; true when another page should be read. */
    boolean add(Page result, int pageSize) {
      pagesRead++;
      int before = seen.size();
      result.items().forEach(a -> seen.putIfAbsent(a.id(), a));
      boolean nothingNew = seen.size() == before;
      if (result.page() == 1) {
        totalCount = result.totalCount();
      } else if (!Objects.equals(totalCount, result.totalCount())) {
        countChanged = true;
      }
      if (result.totalPages() != null) {
        totalPages = result.totalPages();
        if (result.page() >= totalPages) {
          return false;
        }
        if (result.items().isEmpty()) {
          problems.add("page " + result.page() + " of " + totalPages + " was empty");
          return false;
        }
        return true;
      }
      // no page count: a short page, one larger than asked for (paging ignored: the whole list, as
      // emnify documents this call), or one that repeats what was seen, is the last
      return !nothingNew && result.items().size() == pageSize;
    }

    Listing finish(boolean stoppedEarly, Consumer<String> incomplete) {
      if (stoppedEarly) {
        problems.add("stopped after " + MAX_PAGES + " pages");
      }
      if (countChanged) {
        problems.add("X-Total-Count changed during the read");
      } else if (totalCount != null && totalCount != seen.size()) {
        problems.add(seen.size() + " distinct attachments read, X-Total-Count " + totalCount);
      }
      if (!problems.isEmpty()) {
        incomplete.accept(String.join("; ", problems));
      }
      return new Listing(List.copyOf(seen.values()), problems.isEmpty(), pagesRead);
    }
  }
}
