package dev.vitrail.encoders.tensor;

import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.List;

/**
 * A tower on a CUDA device, owned by one worker thread (whose stream {@link
 * CudaSupport#bindWorkerStream} made current): on {@link #close()} it frees the tower, the thread's
 * pinned staging buffer and the allocator's cached blocks, so a restarted worker starts clean.
 */
public final class CudaWorkerEncoder implements FeatureEncoder {
  private final FeatureEncoder tower;
  private final CudaSupport cuda;

  /** Takes ownership of {@code tower}. */
  public CudaWorkerEncoder(FeatureEncoder tower, CudaSupport cuda) {
    this.tower = tower;
    this.cuda = cuda;
  }

  @Override
  public String family() {
    return tower.family();
  }

  @Override
  public List<FeatureOutput> encode(List<PixelInput> batch, FeatureSpec spec) {
    return tower.encode(batch, spec);
  }

  @Override
  public void releaseCachedMemory() {
    cuda.emptyCache();
  }

  @Override
  public void close() {
    try {
      tower.close();
    } finally {
      cuda.releaseThreadBuffers();
      cuda.emptyCache();
    }
  }
}
