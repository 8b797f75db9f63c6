package io.cloudconnect.provisioner.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** The stored trace context and the spans restored from it, without Quarkus. */
class RequestTracesTest {
  private static final String PRODUCER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final RequestTraces traces =
      new RequestTraces(
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(exported))
                      .build())
              .build());

  @Test
  void anIntakeSpanContinuesTheProducersTraceAndIsStoredAsATraceparent() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", PRODUCER.getBytes(StandardCharsets.UTF_8));
    Span intake = traces.startIntake(Message.of("r"), headers);
    String stored = RequestTraces.traceParentOf(intake);
    intake.end();

    assertThat(stored).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
    SpanData span = exported.getFinishedSpanItems().get(0);
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(stored).contains(span.getSpanId());
  }

  @Test
  void aStepRestoresTheStoredTraceAndCarriesTheRequestInTheMdc() throws Exception {
    Span intake = traces.startIntake(Message.of("r"), new RecordHeaders());
    String stored = RequestTraces.traceParentOf(intake);
    intake.end();

    // as the background passes run: on a duplicated Vert.x context of its own
    Vertx vertx = Vertx.vertx();
    try {
      Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
      String seen =
          onContext(
              context,
              () ->
                  traces.step(
                      "create attachment",
                      stored,
                      "req-1",
                      4711L,
                      () -> Uni.createFrom().item(RequestTracesTest::whatALogLineSees)));
      SpanData step = exported.getFinishedSpanItems().get(1);
      assertThat(step.getName()).isEqualTo("create attachment");
      assertThat(step.getTraceId()).isEqualTo(intake.getSpanContext().getTraceId());
      assertThat(step.getParentSpanId()).isEqualTo(intake.getSpanContext().getSpanId());
      assertThat(step.getAttributes().get(RequestTraces.REQUEST_ID)).isEqualTo("req-1");
      assertThat(step.getAttributes().get(RequestTraces.ATTACHMENT_ID)).isEqualTo(4711L);
      assertThat(seen).isEqualTo("req-1/4711/" + step.getTraceId());
      // afterwards the MDC and the current span are as before
      assertThat(
              onContext(context, () -> Uni.createFrom().item(RequestTracesTest::whatALogLineSees)))
          .isEqualTo("null/null/" + "0".repeat(32));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void offAVertxContextAStepIsTracedButNotMadeCurrent() {
    String seen =
        traces
            .step(
                "read attachment",
                PRODUCER,
                "req-3",
                null,
                () -> Uni.createFrom().item(RequestTracesTest::whatALogLineSees))
            .await()
            .indefinitely();
    assertThat(seen).isEqualTo("null/null/" + "0".repeat(32));
    SpanData span = exported.getFinishedSpanItems().get(0);
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
  }

  private static String whatALogLineSees() {
    return MDC.get("request_id")
        + "/"
        + MDC.get("attachment_id")
        + "/"
        + Span.current().getSpanContext().getTraceId();
  }

  private static <T> T onContext(Context context, Supplier<Uni<T>> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        nothing -> work.get().subscribe().with(result::complete, result::completeExceptionally));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFailedStepEndsItsSpanWithAnErrorStatus() {
    Uni<Object> failing =
        traces.step(
            "read attachment",
            null,
            "req-2",
            null,
            () -> Uni.createFrom().failure(new IllegalStateException("boom")));
    assertThatThrownBy(() -> failing.await().indefinitely())
        .isInstanceOf(IllegalStateException.class);
    SpanData span = exported.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getParentSpanId()).isEqualTo("0000000000000000");
  }

  @Test
  void withoutAStoredTraceThereIsNothingToRestore() {
    assertThat(RequestTraces.traceParentOf(Span.getInvalid())).isNull();
    assertThat(Span.fromContext(RequestTraces.restore(null)).getSpanContext().isValid()).isFalse();
  }
}
