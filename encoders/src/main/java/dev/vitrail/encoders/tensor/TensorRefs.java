package dev.vitrail.encoders.tensor;

import org.bytedeco.pytorch.Tensor;

/** Reference counting of tensors that must outlive the {@code PointerScope} that made them. */
public final class TensorRefs {
  private TensorRefs() {}

  /**
   * Takes one more reference on {@code t}, so closing its scope does not free it; the caller
   * releases it ({@code releaseReference()}) when done. Returns {@code t}.
   */
  public static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }
}
