package dev.vitrail.runtime.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link ImageDedupe} with a fake encoder the test completes by hand. */
class ImageDedupeTest {
  private final DedupeSettings on = new DedupeSettings(1 << 20, 100, 1 << 20, 10);
  private final FeatureSpec spec = FeatureSpec.defaults();
  private final List<List<Integer>> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<CompletableFuture<List<FeatureOutput>>> pending =
      Collections.synchronizedList(new ArrayList<>());

  private static FeatureOutput out(float v) {
    return new FeatureOutput(new float[] {v}, new int[] {1});
  }

  /** Records each call; the test completes it. */
  private final Function<List<Integer>, CompletionStage<List<FeatureOutput>>> held =
      at -> {
        calls.add(at);
        CompletableFuture<List<FeatureOutput>> f = new CompletableFuture<>();
        pending.add(f);
        return f;
      };

  @Test
  void hitsSharesAndMisses() throws Exception {
    ImageDedupe d = new ImageDedupe(on, "model");
    byte[] a = {1, 2, 3};
    byte[] b = {4, 5, 6};
    CompletableFuture<List<FeatureOutput>> first =
        d.features(List.of(a, b, a), spec, held).toCompletableFuture();
    CompletableFuture<List<FeatureOutput>> second =
        d.features(List.of(b), spec, held).toCompletableFuture();
    assertEquals(List.of(List.of(0, 1)), calls, "one call, duplicates and the other request wait");
    pending.get(0).complete(List.of(out(1), out(2)));
    assertEquals(
        List.of(1f, 2f, 1f),
        first.get(5, TimeUnit.SECONDS).stream().map(f -> f.values()[0]).toList());
    assertSame(first.get().get(1), second.get(5, TimeUnit.SECONDS).get(0));
    assertEquals(2, d.stats().shared());
    List<FeatureOutput> hit = d.features(List.of(a), spec, held).toCompletableFuture().get();
    assertSame(first.get().get(0), hit.get(0));
    assertEquals(1, calls.size());
    // Other options or another model are other keys.
    d.features(List.of(a), new FeatureSpec(List.of(-2), null, true, false), held);
    assertEquals(2, calls.size());
    new ImageDedupe(on, "other-model").features(List.of(a), spec, held);
    assertEquals(3, calls.size());
  }

  @Test
  void whenTheSharedEncodeFailsEachRequestEncodesItsOwnAndAnswersOnce() throws Exception {
    ImageDedupe d = new ImageDedupe(on, "model");
    byte[] a = {7};
    CompletableFuture<List<FeatureOutput>> leader =
        d.features(List.of(a), spec, held).toCompletableFuture();
    CompletableFuture<List<FeatureOutput>> follower =
        d.features(List.of(new byte[] {9}, a), spec, held).toCompletableFuture();
    assertEquals(List.of(List.of(0), List.of(0)), calls);
    pending.get(1).complete(List.of(out(9)));
    pending.get(0).completeExceptionally(new IllegalStateException("input[0]: broken"));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> leader.get(5, TimeUnit.SECONDS));
    assertEquals("input[0]: broken", e.getCause().getMessage());
    // The follower asks again for its own index 1, under its own name.
    assertEquals(List.of(1), calls.get(2));
    pending.get(2).complete(List.of(out(7)));
    assertEquals(
        List.of(9f, 7f),
        follower.get(5, TimeUnit.SECONDS).stream().map(f -> f.values()[0]).toList());
    // Nothing is left in flight: the next request for a leads a fresh encode of its own.
    CompletableFuture<List<FeatureOutput>> next =
        d.features(List.of(a), spec, held).toCompletableFuture();
    assertEquals(List.of(0), calls.get(3));
    pending.get(3).complete(List.of(out(8)));
    assertEquals(8f, next.get(5, TimeUnit.SECONDS).get(0).values()[0]);
  }

  @Test
  void offMeansOneCallWithEveryIndexAndPixelsCountDecodes() throws Exception {
    ImageDedupe d = new ImageDedupe(DedupeSettings.off(), "model");
    d.features(List.of(new byte[] {1}, new byte[] {1}), spec, held);
    assertEquals(List.of(List.of(0, 1)), calls);
    int[] decodes = {0};
    ImageDedupe px = new ImageDedupe(on, "model");
    Function<byte[], dev.vitrail.encoders.api.PixelInput> decode =
        px.pixels(
            "p",
            bytes -> {
              decodes[0]++;
              return new dev.vitrail.encoders.api.PixelInput(
                  new float[] {bytes[0]}, new int[] {1}, null);
            });
    decode.apply(new byte[] {3});
    decode.apply(new byte[] {3});
    decode.apply(new byte[] {4});
    assertEquals(2, decodes[0]);
    assertEquals(2, px.stats().decoded());
    assertEquals(1, px.stats().pixels().hits());
  }

  /** An image that fails on its own (null from the encoder) is not cached; waiters encode it. */
  @Test
  void aNullFeatureIsNotCachedAndItsWaitersEncodeItThemselves() throws Exception {
    ImageDedupe d = new ImageDedupe(on, "model");
    byte[] a = {7, 7};
    byte[] b = {8, 8};
    CompletableFuture<List<FeatureOutput>> first =
        d.features(List.of(a, b), spec, held).toCompletableFuture();
    CompletableFuture<List<FeatureOutput>> second =
        d.features(List.of(a), spec, held).toCompletableFuture();
    pending.get(0).complete(java.util.Arrays.asList(null, out(2)));
    List<FeatureOutput> got = first.get(5, TimeUnit.SECONDS);
    assertEquals(null, got.get(0));
    assertEquals(2f, got.get(1).values()[0]);
    assertEquals(List.of(List.of(0, 1), List.of(0)), calls, "the waiter encodes a itself");
    pending.get(1).complete(List.of(out(3)));
    assertEquals(3f, second.get(5, TimeUnit.SECONDS).get(0).values()[0]);
    // b was cached; a was not (its lead answered null; a waiter's own encode is not cached).
    CompletableFuture<List<FeatureOutput>> third =
        d.features(List.of(a, b), spec, held).toCompletableFuture();
    assertEquals(List.of(0), calls.get(2));
    pending.get(2).complete(List.of(out(4)));
    assertEquals(2f, third.get(5, TimeUnit.SECONDS).get(1).values()[0]);
  }

  @Test
  void aRepeatSentAsSoonAsTheAnswerIsOutIsAHit() throws Exception {
    ImageDedupe d = new ImageDedupe(on, "model");
    byte[] a = {5, 5};
    List<CompletableFuture<List<FeatureOutput>>> repeat = new ArrayList<>();
    d.features(List.of(a), spec, held)
        .thenRun(() -> repeat.add(d.features(List.of(a), spec, held).toCompletableFuture()));
    pending.get(0).complete(List.of(out(5)));
    assertEquals(5f, repeat.get(0).get(5, TimeUnit.SECONDS).get(0).values()[0]);
    assertEquals(1, calls.size());
    assertEquals(1, d.stats().features().hits(), "the repeat was answered from the cache");
    assertEquals(0, d.stats().shared(), "not by waiting on an encode already answered");
  }
}
