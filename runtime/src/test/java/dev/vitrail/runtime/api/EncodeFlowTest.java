package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class EncodeFlowTest {
  private static RuntimeSettings settings(String hocon) {
    return dev.vitrail.runtime.api.VitrailTestSettings.of(hocon);
  }

  private static EncodeRequest request(int i) {
    List<PixelInput> imgs = List.of(ChannelSumTower.image(i, 3), ChannelSumTower.image(i + 1, 3));
    return EncodeRequest.ofPixels(Integer.toString(i), imgs, FeatureSpec.defaults());
  }

  @Test
  void orderedFlowKeepsRequestOrderAndMatchesDirectCalls() throws Exception {
    try (Vitrail v =
        Vitrail.start(
            settings("vitrail { workers.count = 3, balance.policy = pull }"),
            w -> new ChannelSumTower(50_000L * (w + 1), new AtomicLong()))) {
      List<EncodeResult> out =
          Source.range(0, 199)
              .map(EncodeFlowTest::request)
              .via(v.flow())
              .runWith(Sink.seq(), v.system())
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertEquals(200, out.size());
      for (int i = 0; i < 200; i++) {
        assertEquals(Integer.toString(i), out.get(i).id());
        assertArrayEquals(
            ChannelSumTower.compute(ChannelSumTower.image(i + 1, 3)).values(),
            out.get(i).features().get(1).values());
      }
    }
  }

  @Test
  void unorderedFlowAnswersEveryRequestOnce() throws Exception {
    try (Vitrail v =
        Vitrail.start(
            settings("vitrail.workers.count = 2"),
            w -> new ChannelSumTower(100_000L * (2 - w), new AtomicLong()))) {
      List<EncodeResult> out =
          Source.range(0, 149)
              .map(EncodeFlowTest::request)
              .via(v.unorderedFlow())
              .runWith(Sink.seq(), v.system())
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      Set<String> ids = new HashSet<>();
      for (EncodeResult r : out) {
        assertTrue(ids.add(r.id()), "answered twice: " + r.id());
        int i = Integer.parseInt(r.id());
        assertArrayEquals(
            ChannelSumTower.compute(ChannelSumTower.image(i, 3)).values(),
            r.features().get(0).values());
      }
      assertEquals(150, ids.size());
    }
  }

  @Test
  void hundredThousandItemsThroughASlowWorkerStayBounded() throws Exception {
    int maxRequests = 16;
    AtomicLong encoded = new AtomicLong();
    AtomicLong emitted = new AtomicLong();
    AtomicLong maxInFlight = new AtomicLong();
    try (Vitrail v =
        Vitrail.start(
            settings(
                "vitrail { stream.max-in-flight-requests = "
                    + maxRequests
                    + ", workers.batch-limit = 64, admission.max-in-flight-items = 64 }"),
            w ->
                new ChannelSumTower(
                    300_000, encoded))) { // 0.3 ms per batch: the source is far faster
      Runtime rt = Runtime.getRuntime();
      System.gc();
      long heapBefore = rt.totalMemory() - rt.freeMemory();
      AtomicLong heapPeak = new AtomicLong();
      long results =
          Source.range(1, 100_000)
              .map(
                  i -> {
                    long items = emitted.incrementAndGet();
                    maxInFlight.accumulateAndGet(items - encoded.get(), Math::max);
                    if (i % 25_000 == 0) {
                      System.gc(); // live heap only: garbage would make any bound meaningless
                      heapPeak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                    }
                    return EncodeRequest.ofPixels(
                        "i" + i, List.of(ChannelSumTower.image(i, 2)), FeatureSpec.defaults());
                  })
              .via(v.flow())
              .runWith(Sink.fold(0L, (n, r) -> n + r.features().size()), v.system())
              .toCompletableFuture()
              .get(300, TimeUnit.SECONDS);
      System.out.println(
          "100k items: max in flight "
              + maxInFlight.get()
              + ", live heap growth "
              + ((heapPeak.get() - heapBefore) >> 20)
              + " MiB");
      assertEquals(100_000, results);
      assertEquals(100_000, encoded.get());
      // mapAsync holds at most maxRequests requests; the fused map stage may pull one more.
      assertTrue(maxInFlight.get() <= maxRequests + 2, "in flight reached " + maxInFlight.get());
      assertTrue(
          heapPeak.get() - heapBefore < 32L << 20,
          "heap grew by "
              + ((heapPeak.get() - heapBefore) >> 20)
              + " MiB; max heap "
              + (ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20)
              + " MiB");
      assertEquals(0, v.stats().toCompletableFuture().get().rejectedRequests());
    }
  }
}
