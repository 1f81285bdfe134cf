package dev.vitrail.encoders.tensor;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * What a CUDA worker needs beyond plain tensor calls: its own stream, pinned host staging and the
 * caching allocator. The implementation ({@code TorchCuda}) uses libtorch's CUDA classes, whose
 * natives exist only in the {@code -Pgpu} build, so it is created reflectively and only when
 * libtorch reports CUDA; the CPU build never loads it.
 */
public interface CudaSupport {
  /**
   * Makes a new stream from libtorch's pool the current stream of the calling thread on {@code
   * device} (and that device the thread's current device): every later kernel and copy of this
   * worker's thread runs on it, so workers on one device do not serialize on the default stream.
   */
  void bindWorkerStream(int device);

  /**
   * Copies {@code parts} (row-major float32 values, in order) into the calling thread's pinned host
   * buffer, reused across batches and grown to the largest batch, then starts one asynchronous
   * host-to-device copy on the current stream; the result, of {@code shape} in {@code dtype} on
   * {@code device}, joins the caller's scope.
   */
  Tensor upload(List<float[]> parts, long[] shape, String device, torch.ScalarType dtype);

  /** Frees the calling thread's pinned buffer. */
  void releaseThreadBuffers();

  /** Returns the caching allocator's unused blocks to the device (after an out-of-memory error). */
  void emptyCache();

  /** The process's CUDA support; fails when libtorch has no CUDA device. */
  static CudaSupport require() {
    return Holder.INSTANCE;
  }

  /** Lazy holder: resolved the first time a CUDA target needs it. */
  final class Holder {
    static final CudaSupport INSTANCE = create();

    private Holder() {}

    private static CudaSupport create() {
      NativeTorch.load();
      if (!torch.cuda_is_available()) {
        throw new IllegalStateException(
            "a CUDA device was asked for but libtorch sees none: " + CudaInventory.probe().note());
      }
      try {
        return (CudaSupport)
            Class.forName("dev.vitrail.encoders.tensor.TorchCuda")
                .getDeclaredConstructor()
                .newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot load libtorch's CUDA support", e);
      }
    }
  }
}
