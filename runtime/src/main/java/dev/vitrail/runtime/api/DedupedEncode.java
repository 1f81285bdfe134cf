package dev.vitrail.runtime.api;

import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.dedupe.ImageDedupe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The embedded API's dedupe before decode: a request of encoded images is looked up image by image
 * in the {@link ImageDedupe} caches (by the image's bytes, the model and the feature options)
 * before anything is decoded; only the rest are decoded and encoded, as one request. An image that
 * fails keeps its own {@link ItemResult.Failed} and is not cached. Giving the answer up gives up
 * the encode it started.
 */
final class DedupedEncode {
  private DedupedEncode() {}

  /** Whether {@code request} can go through the caches: encoded images only, no gather layout. */
  static boolean applies(ImageDedupe dedupe, EncodeRequest request) {
    return dedupe != null
        && dedupe.enabled()
        && request.gatherReduction() == 0
        && request.inputs().stream().allMatch(i -> i instanceof EncodeInput.EncodedImage);
  }

  /** The answer to {@code request} with {@code encode} running the requests of the misses. */
  static CompletableFuture<EncodeResult> run(
      ImageDedupe dedupe,
      EncodeRequest request,
      Function<EncodeRequest, CompletableFuture<EncodeResult>> encode) {
    List<byte[]> images =
        request.inputs().stream().map(i -> ((EncodeInput.EncodedImage) i).bytes()).toList();
    ItemResult[] failed = new ItemResult[images.size()];
    List<CompletableFuture<EncodeResult>> started = new ArrayList<>();
    CompletableFuture<EncodeResult> out = new CompletableFuture<>();
    dedupe
        .features(
            images,
            request.spec(),
            at -> {
              EncodeRequest misses =
                  new EncodeRequest(
                      request.id(),
                      at.stream().map(i -> EncodeInput.of(images.get(i))).toList(),
                      request.spec(),
                      0);
              CompletableFuture<EncodeResult> work = encode.apply(misses);
              synchronized (started) {
                started.add(work);
              }
              if (out.isDone()) {
                work.cancel(false);
              }
              return work.thenApply(r -> outputs(r, at, failed));
            })
        .whenComplete(
            (features, err) -> {
              if (err != null) {
                out.completeExceptionally(err);
                return;
              }
              List<ItemResult> items = new ArrayList<>();
              for (int i = 0; i < features.size(); i++) {
                FeatureOutput f = features.get(i);
                items.add(f != null ? new ItemResult.Encoded(f) : failed[i]);
              }
              out.complete(new EncodeResult(request.id(), items, null));
            });
    out.whenComplete(
        (ok, err) -> {
          synchronized (started) {
            started.forEach(w -> w.cancel(false));
          }
        });
    return out;
  }

  /**
   * The features of {@code r} in order; a failed item is null, its result kept in {@code failed}.
   */
  private static List<FeatureOutput> outputs(
      EncodeResult r, List<Integer> at, ItemResult[] failed) {
    List<FeatureOutput> list = new ArrayList<>();
    for (int j = 0; j < r.items().size(); j++) {
      if (r.items().get(j) instanceof ItemResult.Encoded e) {
        list.add(e.output());
      } else {
        failed[at.get(j)] = r.items().get(j);
        list.add(null);
      }
    }
    return list;
  }
}
