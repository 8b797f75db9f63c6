package io.cloudconnect.provisioner.emnify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnect.provisioner.emnify.AttachmentLister.Listing;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Attachment;
import io.cloudconnect.provisioner.emnify.EmnifyDtos.Page;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The list is taken as proof of absence only when it is known to be complete. Pages are served the
 * way emnify pages a collection (offset paging, a page past the last answers the last page), with
 * and without paging headers.
 */
class AttachmentListerTest {
  static final int PAGE_SIZE = 2;

  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private static Attachment attachment(long id) {
    return new Attachment(id, "a" + id, "[ccp:r-" + id + "]", null, null, "eu-west-1", null);
  }

  /** emnify's offset paging over {@code items}: the page past the last answers the last page. */
  private static Page pageOf(List<Attachment> items, int page, boolean headers) {
    int pages = Math.max(1, (items.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int served = Math.min(page, pages);
    List<Attachment> slice =
        items.subList(
            Math.min(items.size(), (served - 1) * PAGE_SIZE),
            Math.min(items.size(), served * PAGE_SIZE));
    return headers
        ? new Page(List.copyOf(slice), page, pages, items.size())
        : new Page(List.copyOf(slice), page, null, null);
  }

  private Listing list(BiFunction<Integer, Integer, Page> pages) {
    AttachmentLister lister =
        new AttachmentLister(
            (status, type, org, page) -> Uni.createFrom().item(pages.apply(type, page)),
            Uni.createFrom().item(4711L),
            PAGE_SIZE,
            metrics);
    return lister.listAll(null).await().indefinitely();
  }

  private double incompleteLists() {
    return metrics.counter("cloudconnect_list_incomplete_total").count();
  }

  private static List<Attachment> attachments(int count) {
    return LongStream.rangeClosed(1, count).mapToObj(AttachmentListerTest::attachment).toList();
  }

  @Test
  void everyPageReadWithMatchingCountIsComplete() {
    List<Attachment> five = attachments(5);
    Listing listing = list((type, page) -> pageOf(five, page, true));
    assertThat(listing.complete()).isTrue();
    assertThat(listing.attachments())
        .extracting(Attachment::id)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(incompleteLists()).isZero();
  }

  @Test
  void deletionBetweenPagesSkipsAnItemAndIsCaughtByTheCount() {
    List<Attachment> items = new ArrayList<>(attachments(5));
    Listing listing =
        list(
            (type, page) -> {
              Page answer = pageOf(items, page, true);
              if (page == 1) {
                items.remove(0); // #1 deleted after page 1 was served: #3 moves onto page 1
              }
              return answer;
            });
    assertThat(listing.attachments()).extracting(Attachment::id).doesNotContain(3L);
    assertThat(listing.complete()).isFalse();
    assertThat(incompleteLists()).isEqualTo(1);
  }

  @Test
  void earlyEmptyPageMakesTheListIncomplete() {
    List<Attachment> five = attachments(5);
    Listing listing =
        list((type, page) -> page == 2 ? new Page(List.of(), 2, 3, 5) : pageOf(five, page, true));
    assertThat(listing.complete()).isFalse();
  }

  @Test
  void withoutHeadersTheListEndsAtAShortPage() {
    List<Attachment> five = attachments(5);
    Listing listing = list((type, page) -> pageOf(five, page, false));
    assertThat(listing.complete()).isTrue();
    assertThat(listing.attachments()).hasSize(5);
  }

  /** emnify answers a page past the last with the last: a full last page must not loop. */
  @Test
  void withoutHeadersAPageThatRepeatsTheLastEndsTheList() {
    List<Attachment> four = attachments(4);
    List<Integer> asked = new ArrayList<>();
    Listing listing =
        list(
            (type, page) -> {
              asked.add(page);
              return pageOf(four, page, false);
            });
    assertThat(listing.complete()).isTrue();
    assertThat(listing.attachments()).hasSize(4);
    assertThat(asked).containsExactly(1, 2, 3);
  }

  @Test
  void anUnpagedAnswerIsTheWholeList() {
    // emnify documents no paging for this call: all attachments in one array, no headers
    List<Attachment> three = attachments(3);
    Listing listing =
        new AttachmentLister(
                (status, type, org, page) ->
                    Uni.createFrom().item(new Page(three, page, null, null)),
                Uni.createFrom().item(4711L),
                1000,
                metrics)
            .listAll(null)
            .await()
            .indefinitely();
    assertThat(listing.complete()).isTrue();
    assertThat(listing.attachments()).hasSize(3);
  }

  /**
   * Read on a thread with a small stack: 1,000 pages answered at once must not grow it (a recursive
   * read overflowed it in CI).
   */
  @Test
  void aPageCountThatNeverEndsIsCutAndIncomplete() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Object> outcome =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                outcome.set(
                    list(
                        (type, page) ->
                            new Page(
                                List.of(attachment(2L * page), attachment(2L * page + 1)),
                                page,
                                Integer.MAX_VALUE,
                                null)));
              } catch (Throwable e) {
                outcome.set(e);
              }
            },
            "small-stack",
            256 * 1024);
    small.start();
    small.join();
    assertThat(outcome.get()).isInstanceOf(Listing.class);
    Listing listing = (Listing) outcome.get();
    assertThat(listing.complete()).isFalse();
    assertThat(listing.attachments()).hasSize(2 * AttachmentLister.MAX_PAGES);
  }

  /** What reading the whole organisation costs is learnt from its first page alone. */
  @Test
  void theWholeListsCostIsLearntFromOnePage() {
    List<Attachment> five = attachments(5);
    List<Integer> asked = new ArrayList<>();
    AttachmentLister paged =
        new AttachmentLister(
            (status, type, org, page) -> {
              asked.add(page);
              return Uni.createFrom().item(pageOf(five, page, true));
            },
            Uni.createFrom().item(4711L),
            PAGE_SIZE,
            metrics);
    assertThat(paged.fullListPages(null, "status-poller").await().indefinitely()).isEqualTo(3);
    assertThat(asked).containsExactly(1);
    AttachmentLister unpaged =
        new AttachmentLister(
            (status, type, org, page) ->
                Uni.createFrom().item(new Page(attachments(1), page, null, null)),
            Uni.createFrom().item(4711L),
            PAGE_SIZE,
            metrics);
    assertThat(unpaged.fullListPages(null, "status-poller").await().indefinitely()).isEqualTo(1);
  }

  /** A source answering as emnify documents the list: everything at once, paging ignored. */
  private static AttachmentLister.PageSource documented(List<Attachment> all, List<Integer> asked) {
    return (status, type, org, page) -> {
      asked.add(page);
      return Uni.createFrom().item(new Page(all, page, null, null));
    };
  }

  /**
   * OAS-CC get-cloud-connect-attachments documents no paging: 150 attachments come in one answer to
   * a request for 100 a page. One call, complete; as many items as asked for take a second call (it
   * repeats the first), never more.
   */
  @Test
  void theDocumentedUnpagedListIsReadInOneCallWhateverItsSize() {
    for (int size : new int[] {1, 5, 150}) {
      List<Integer> asked = new ArrayList<>();
      Listing listing =
          new AttachmentLister(
                  documented(attachments(size), asked), Uni.createFrom().item(4711L), 2, metrics)
              .listAll(null)
              .await()
              .indefinitely();
      assertThat(listing.complete()).as("%d attachments", size).isTrue();
      assertThat(listing.attachments()).hasSize(size);
      assertThat(asked).as("%d attachments", size).containsExactly(1);
      assertThat(listing.calls()).isEqualTo(1);
    }
    List<Integer> asked = new ArrayList<>();
    Listing exactlyAPage =
        new AttachmentLister(
                documented(attachments(2), asked), Uni.createFrom().item(4711L), 2, metrics)
            .listAll(null)
            .await()
            .indefinitely();
    assertThat(exactlyAPage.complete()).isTrue();
    assertThat(asked).containsExactly(1, 2);
    assertThat(incompleteLists()).isZero();
  }

  /**
   * The list's cost as the documented shape shows it, and a failed look: the last figure is kept
   * (not "many", which made the poller hold back for hours) and the next look asks again.
   */
  @Test
  void theDocumentedListCostsOnePageAndAFailedLookIsTriedAgainNextTime() {
    List<Integer> asked = new ArrayList<>();
    AttachmentLister lister =
        new AttachmentLister(
            documented(attachments(150), asked), Uni.createFrom().item(4711L), 100, metrics);
    assertThat(lister.fullListPages(null, "status-poller").await().indefinitely()).isEqualTo(1);

    java.util.concurrent.atomic.AtomicInteger looks =
        new java.util.concurrent.atomic.AtomicInteger();
    AttachmentLister failing =
        new AttachmentLister(
            (status, type, org, page) -> {
              looks.incrementAndGet();
              return Uni.createFrom().failure(new IllegalStateException("503"));
            },
            Uni.createFrom().item(4711L),
            100,
            metrics);
    assertThat(failing.fullListPages(null, "status-poller").await().indefinitely()).isEqualTo(1);
    assertThat(failing.fullListPages(null, "status-poller").await().indefinitely()).isEqualTo(1);
    assertThat(looks).hasValue(2);
  }
}
