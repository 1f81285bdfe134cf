package dev.vitrail.encoders.tensor;

import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.cuda.CUDAStream;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch_cuda;

/**
 * {@link CudaSupport} on libtorch's CUDA API (c10 stream pool, pinned host allocation, caching
 * allocator). Loaded reflectively by {@link CudaSupport#require()} only where libtorch has CUDA.
 */
final class TorchCuda implements CudaSupport {
  /** Each worker thread's pinned staging buffer (float32, flat), retained until released. */
  private final ThreadLocal<Tensor> pinned = new ThreadLocal<>();

  TorchCuda() {}

  @Override
  public void bindWorkerStream(int device) {
    try (PointerScope scope = new PointerScope()) {
      torch_cuda.set_device((byte) device);
      CUDAStream stream = torch_cuda.getStreamFromPool(false, (byte) device);
      torch_cuda.setCurrentCUDAStream(stream);
    }
  }

  @Override
  public Tensor upload(List<float[]> parts, long[] shape, String device, torch.ScalarType dtype) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    Device target = new Device(device);
    try (PointerScope scope = new PointerScope()) {
      // The previous batch's copy out of this buffer must be done before it is overwritten; the
      // batch's single device-to-host copy already waited for it, so this returns at once.
      torch_cuda.getCurrentCUDAStream(target.index()).synchronize();
    }
    Tensor buffer = buffer(n);
    try (PointerScope scope = new PointerScope()) {
      FloatPointer p = buffer.data_ptr_float();
      long at = 0;
      for (float[] part : parts) {
        p.position(at).put(part);
        at += part.length;
      }
      if (at != n) {
        throw new IllegalArgumentException(at + " values for shape of " + n);
      }
    }
    Tensor rows = buffer.narrow(0, 0, n).view(shape);
    // non_blocking from pinned memory: the copy is queued on this worker's stream and returns.
    return rows.to(target, dtype, true, false, new MemoryFormatOptional());
  }

  private Tensor buffer(long n) {
    Tensor current = pinned.get();
    if (current != null && current.numel() >= n) {
      return current;
    }
    releaseThreadBuffers();
    long size = Math.max(n, current == null ? 0 : current.numel() * 2);
    try (PointerScope scope = new PointerScope()) {
      TensorOptions options =
          new TensorOptions()
              .dtype(new ScalarTypeOptional(torch.ScalarType.Float))
              .pinned_memory(new BoolOptional(true));
      Tensor t = torch.empty(new long[] {size}, options, new MemoryFormatOptional());
      t.retainReference(); // outlives this scope until releaseThreadBuffers
      pinned.set(t);
      return t;
    }
  }

  @Override
  public void releaseThreadBuffers() {
    Tensor t = pinned.get();
    if (t != null) {
      pinned.remove();
      t.releaseReference();
    }
  }

  @Override
  public void emptyCache() {
    try (PointerScope scope = new PointerScope()) {
      torch_cuda.getAllocator().emptyCache();
    }
  }
}
