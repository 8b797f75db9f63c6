package io.cloudconnect.provisioner.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

/**
 * One trace per request, across the timer-driven passes. The intake span's context is stored with
 * the saga as a W3C {@code traceparent} and every later step that acts on the request (its create
 * call, what the poller does about it, its result event) runs in a span restored from it, so a
 * tracing backend shows the request from its record to its event as one tree, whichever replica and
 * pass did each part. While a step runs its span is the current context (the REST client's and the
 * Kafka producer's own spans nest under it) and the MDC carries {@code request_id} and {@code
 * attachment_id} beside the trace and span ids that Quarkus adds, so each log line of the step can
 * be found by request.
 */
@ApplicationScoped
public class RequestTraces {
  public static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("cloudconnect.request_id");
  public static final AttributeKey<Long> ATTACHMENT_ID =
      AttributeKey.longKey("cloudconnect.attachment_id");
  static final String MDC_REQUEST_ID = "request_id";
  static final String MDC_ATTACHMENT_ID = "attachment_id";
  private static final String TRACEPARENT = "traceparent";
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private final Tracer tracer;

  RequestTraces(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("io.cloudconnect.provisioner");
  }

  /**
   * The span of one request record: a child of the Kafka connector's receive span (which continues
   * the producer's trace when the record's headers carry a W3C {@code traceparent}), or, with the
   * connector's tracing off, of the producer's context in the headers; otherwise the root of a new
   * trace. The caller ends it.
   */
  public Span startIntake(Message<?> record, Headers headers) {
    Context parent =
        record
            .getMetadata(TracingMetadata.class)
            .map(TracingMetadata::getCurrentContext)
            .filter(c -> Span.fromContext(c).getSpanContext().isValid())
            .orElseGet(() -> W3C.extract(Context.root(), headers, KAFKA_HEADERS));
    return tracer
        .spanBuilder("intake request")
        .setParent(parent)
        .setSpanKind(SpanKind.CONSUMER)
        .startSpan();
  }

  /** Runs {@code work} (no I/O) in a child span of {@code parent}. */
  public <T> T inChild(Span parent, String name, Supplier<T> work) {
    Span span = tracer.spanBuilder(name).setParent(Context.root().with(parent)).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    } finally {
      span.end();
    }
  }

  /**
   * Runs {@code work} in a span named {@code name} that continues the trace {@code traceParent} (a
   * new trace when it is null), current for as long as the work runs, with the request in the MDC;
   * for work that runs alone on its Vert.x context (a create lane's pass, the poller's request
   * after request).
   */
  public <T> Uni<T> step(
      String name, String traceParent, String requestId, Long attachmentId, Supplier<Uni<T>> work) {
    return within(
        name,
        traceParent,
        requestId,
        attachmentId,
        span -> {
          if (!VertxContext.isOnDuplicatedContext()) {
            // off a Vert.x context the current span would live in a thread local, and the work
            // ends on another thread: the span is not made current there
            return work.get();
          }
          Scope scope = span.makeCurrent();
          MDC.put(MDC_REQUEST_ID, requestId);
          if (attachmentId != null) {
            MDC.put(MDC_ATTACHMENT_ID, String.valueOf(attachmentId));
          }
          return work.get()
              .onTermination()
              .invoke(
                  () -> {
                    MDC.remove(MDC_REQUEST_ID);
                    MDC.remove(MDC_ATTACHMENT_ID);
                    scope.close();
                  });
        });
  }

  /**
   * Runs {@code work} in a span like {@link #step}, handed to it rather than made current: for work
   * that runs side by side with others on one Vert.x context (the relay publishes a batch at once),
   * where a current span and the MDC would be shared by all of them.
   */
  public <T> Uni<T> within(
      String name,
      String traceParent,
      String requestId,
      Long attachmentId,
      Function<Span, Uni<T>> work) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Span span =
                  tracer
                      .spanBuilder(name)
                      .setParent(restore(traceParent))
                      .setAttribute(REQUEST_ID, requestId)
                      .startSpan();
              if (attachmentId != null) {
                span.setAttribute(ATTACHMENT_ID, attachmentId);
              }
              return work.apply(span)
                  .onTermination()
                  .invoke(
                      (item, failure, cancelled) -> {
                        if (failure != null) {
                          span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                        }
                        span.end();
                      });
            });
  }

  /** The W3C {@code traceparent} of {@code span}; null when it is not recorded (tracing off). */
  public static String traceParentOf(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(Context.root().with(span), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /** The context a stored {@code traceParent} names; the root context (a new trace) if none. */
  public static Context restore(String traceParent) {
    if (traceParent == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceParent), MAP);
  }

  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private static final TextMapGetter<Headers> KAFKA_HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new java.util.ArrayList<>();
          headers.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public String get(Headers headers, String key) {
          if (headers == null) {
            return null;
          }
          Header header = headers.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };
}
