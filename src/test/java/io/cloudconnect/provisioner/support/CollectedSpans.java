package io.cloudconnect.provisioner.support;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The suite's span exporter (Quarkus' OpenTelemetry takes every {@link SpanExporter} bean): keeps
 * the spans every test of the run ended, the newest {@value #KEPT}, in memory, so that a test can
 * look at the trace of its own request.
 */
@Singleton
public class CollectedSpans implements SpanExporter {
  private static final int KEPT = 50_000;
  private final Deque<SpanData> spans = new ArrayDeque<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    for (SpanData span : batch) {
      spans.addLast(span);
      if (spans.size() > KEPT) {
        spans.removeFirst();
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  /** Every kept span of the trace {@code traceId}, in the order they ended. */
  public synchronized List<SpanData> ofTrace(String traceId) {
    return spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
