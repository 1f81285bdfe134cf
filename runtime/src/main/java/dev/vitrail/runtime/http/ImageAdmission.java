package dev.vitrail.runtime.http;

import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.preprocess.ImageDecoder;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.InvalidImageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Admits a request's images before any is decoded and decodes them under the budgets: the request's
 * image count must fit the gate's item budget (else 503 busy, nothing decoded); each image's size
 * is read from its header and checked against {@code max-image-pixels} (413), then its pixels are
 * reserved from the decode budget while it is decoded and preprocessed on the bounded pool.
 */
final class ImageAdmission {
  private final AdmissionGate gate;
  private final DecodePool pool;
  private final ImageProcessor processor;
  private final ImageDecoder header;
  private final Duration wait;

  ImageAdmission(
      AdmissionGate gate, DecodePool pool, ImageProcessor processor, Duration requestTimeout) {
    this.gate = gate;
    this.pool = pool;
    this.processor = processor;
    long limit = Math.min(gate.limits().maxImagePixels(), processor.decoder().maxPixels());
    this.header = new ImageDecoder(limit, processor.decoder().conversion());
    this.wait = requestTimeout;
  }

  /** Reserves {@code count} images; the caller closes the reservation after answering. */
  AdmissionGate.Reservation admit(int count) {
    AdmissionGate.Reservation items = gate.tryItems(count);
    if (items == null) {
      throw new ApiException(
          ErrorKind.BUSY,
          "the server has as many images in flight as it holds"
              + " (vitrail.http.admission.max-items-in-flight = "
              + gate.limits().maxItemsInFlight()
              + "); retry later");
    }
    return items;
  }

  /** The tower inputs of admitted images, in order; the first failure names its input. */
  CompletionStage<List<PixelInput>> preprocess(List<byte[]> images) {
    return each(images, processor::process);
  }

  /**
   * The tower inputs of the admitted images at indices {@code at} of {@code images}, made by {@code
   * decode} (e.g. the processor behind a cache), in that order; a failure names its input index.
   */
  CompletionStage<List<PixelInput>> preprocess(
      List<byte[]> images, List<Integer> at, Function<byte[], PixelInput> decode) {
    return each(images, at, decode);
  }

  /** The image processor of the served model. */
  ImageProcessor processor() {
    return processor;
  }

  /**
   * Runs {@code work} on each admitted image on the bounded pool, each under the pixel limit and
   * with its pixels reserved from the decode budget; results in input order, the first failure
   * naming its input.
   */
  <T> CompletionStage<List<T>> each(List<byte[]> images, Function<byte[], T> work) {
    return each(images, java.util.stream.IntStream.range(0, images.size()).boxed().toList(), work);
  }

  private <T> CompletionStage<List<T>> each(
      List<byte[]> images, List<Integer> at, Function<byte[], T> work) {
    List<CompletableFuture<T>> results = new ArrayList<>(at.size());
    for (int index : at) {
      results.add(pool.submit(() -> decode(images.get(index), index, work)));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
  }

  private <T> T decode(byte[] image, int index, Function<byte[], T> work) {
    try {
      int[] wh = header.dimensions(image);
      try (AdmissionGate.Reservation reserved = gate.acquirePixels((long) wh[0] * wh[1], wait)) {
        if (reserved == null) {
          throw new ApiException(
              ErrorKind.BUSY,
              "input[" + index + "]: no decoding budget within the request timeout");
        }
        return work.apply(image);
      }
    } catch (InvalidImageException e) {
      throw new ApiException(HttpErrors.imageKind(e), "input[" + index + "]: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorKind.SHUTTING_DOWN, "input[" + index + "]: interrupted", e);
    }
  }
}
