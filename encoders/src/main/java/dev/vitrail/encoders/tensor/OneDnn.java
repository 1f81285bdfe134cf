package dev.vitrail.encoders.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * What libtorch's built-in oneDNN runs on this processor, found by trying it once: libtorch refuses
 * its bf16 linear path on processors without bf16 support (it needs AVX-512 BW/VL/DQ or
 * AVX-NE-CONVERT), and that refusal is the answer.
 */
public final class OneDnn {
  private static volatile Boolean bf16Linear;

  private OneDnn() {}

  /** Whether {@code mkldnn_linear} accepts bf16 operands here (tried once per process). */
  public static boolean bf16Linear() {
    Boolean known = bf16Linear;
    if (known == null) {
      known = tryBf16Linear();
      bf16Linear = known;
    }
    return known;
  }

  private static boolean tryBf16Linear() {
    NativeTorch.load();
    if (!torch.hasMKLDNN()) {
      return false;
    }
    try (PointerScope scope = new PointerScope()) {
      ScalarTypeOptional bf16 = new ScalarTypeOptional(torch.ScalarType.BFloat16);
      Tensor x = torch.ones(2, 16).to_mkldnn(bf16);
      Tensor w = torch.ones(8, 16).to_mkldnn(bf16);
      torch.mkldnn_linear(x, w, new TensorOptional()).to_dense();
      return true;
    } catch (RuntimeException refused) {
      return false;
    }
  }
}
