package dev.vitrail.runtime.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class VitrailTest {
  static RuntimeSettings settings(String hocon) {
    return VitrailTestSettings.of(hocon);
  }

  @Test
  void encodesPixelsAndBytesThroughThePreprocessorHook() throws Exception {
    AtomicLong items = new AtomicLong();
    try (Vitrail v =
        Vitrail.start(
            settings("vitrail.workers.count = 2"),
            w -> new ChannelSumTower(0, items),
            bytes -> ChannelSumTower.image(bytes[0], 4))) {
      PixelInput a = ChannelSumTower.image(1, 4);
      EncodeRequest req =
          new EncodeRequest(
              "r1",
              List.of(
                  EncodeInput.of(a),
                  EncodeInput.of(new byte[] {5}),
                  EncodeInput.of(ChannelSumTower.image(2, 4))),
              FeatureSpec.defaults(),
              0);
      List<FeatureOutput> out =
          v.encode(req).toCompletableFuture().get(10, TimeUnit.SECONDS).features();
      assertArrayEquals(ChannelSumTower.compute(a).values(), out.get(0).values());
      assertArrayEquals(
          ChannelSumTower.compute(ChannelSumTower.image(5, 4)).values(), out.get(1).values());
      assertArrayEquals(
          ChannelSumTower.compute(ChannelSumTower.image(2, 4)).values(), out.get(2).values());
      assertEquals(3, items.get());
    }
  }

  @Test
  void bytesWithoutPreprocessorFailClearly() throws Exception {
    try (Vitrail v = Vitrail.start(settings(""), w -> new ChannelSumTower(0, new AtomicLong()))) {
      EncodeRequest req =
          new EncodeRequest(
              "r2", List.of(EncodeInput.of(new byte[] {1})), FeatureSpec.defaults(), 0);
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> v.encode(req).toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertTrue(
          e.getCause().getMessage().contains("without a preprocessor"), e.getCause().getMessage());
    }
  }

  @Test
  void overloadIsATypedBusyRejection() throws Exception {
    try (Vitrail v =
        Vitrail.start(
            settings("vitrail.admission.max-in-flight-items = 4"),
            w -> new ChannelSumTower(300_000_000L, new AtomicLong()))) { // 0.3 s per tower call
      List<PixelInput> three =
          List.of(
              ChannelSumTower.image(1, 2),
              ChannelSumTower.image(2, 2),
              ChannelSumTower.image(3, 2));
      var first = v.encode(EncodeRequest.ofPixels("first", three, FeatureSpec.defaults()));
      ExecutionException busy =
          assertThrows(
              ExecutionException.class,
              () ->
                  v.encode(EncodeRequest.ofPixels("second", three, FeatureSpec.defaults()))
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      assertTrue(assertInstanceOf(RejectedException.class, busy.getCause()).busy());
      List<PixelInput> five =
          List.of(
              ChannelSumTower.image(1, 2),
              ChannelSumTower.image(2, 2),
              ChannelSumTower.image(3, 2),
              ChannelSumTower.image(4, 2),
              ChannelSumTower.image(5, 2));
      ExecutionException tooBig =
          assertThrows(
              ExecutionException.class,
              () ->
                  v.encode(EncodeRequest.ofPixels("big", five, FeatureSpec.defaults()))
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      RejectedException r = assertInstanceOf(RejectedException.class, tooBig.getCause());
      assertTrue(!r.busy() && r.getMessage().contains("split"), r.getMessage());
      assertEquals(3, first.toCompletableFuture().get(10, TimeUnit.SECONDS).features().size());
    }
  }
}
