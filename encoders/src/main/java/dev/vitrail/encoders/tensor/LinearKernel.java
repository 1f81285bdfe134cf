package dev.vitrail.encoders.tensor;

/**
 * How the towers' linear layers multiply: the choice behind {@code compute-dtype} on CPU.
 *
 * <ul>
 *   <li>{@link #DENSE}: {@code torch.linear} on weights in the compute dtype (the BLAS library for
 *       float32; libtorch's own kernels otherwise).
 *   <li>{@link #ONEDNN}: weights packed once into oneDNN's blocked layout and multiplied by
 *       oneDNN's inner product on libtorch's intra-op threads ({@link OneDnn}); taken for bf16
 *       where libtorch's oneDNN bf16 path runs on this processor (AVX-512 or AVX-NE-CONVERT; fast
 *       with AVX512-BF16/AMX), for float32 a split tower's shards where it probes fastest ({@code
 *       LinearKernelProbe}: oneDNN's packed f32 led OpenBLAS by 1.12-1.18x at 197 rows on Zen 4),
 *       or asked for with {@code VITRAIL_LINEAR_KERNEL=onednn}.
 *   <li>{@link #MLAS}: float32 weights packed once by ONNX Runtime's MLAS and multiplied by its
 *       GEMM on the calling thread ({@link MlasLinear}); asked for with {@code
 *       VITRAIL_LINEAR_KERNEL=mlas} (the {@code -Pmlas} build). At 197 rows (batch 1) it needed
 *       0.79x OpenBLAS's CPU time on Zen 3; at 1576 rows 1.08x.
 *   <li>{@link #INT8}: per-output-channel int8 weights, activations quantized per call (dynamic) by
 *       FBGEMM; everything else in float32.
 * </ul>
 */
public enum LinearKernel {
  DENSE,
  ONEDNN,
  MLAS,
  INT8;

  /**
   * The kernel a setting names ({@code dense}, {@code onednn} or {@code mlas}, any case); {@code
   * what} names the setting in the error.
   */
  public static LinearKernel named(String value, String what) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "dense" -> DENSE;
      case "onednn" -> ONEDNN;
      case "mlas" -> MLAS;
      default ->
          throw new IllegalArgumentException(
              what + " must be dense, onednn or mlas, got '" + value.trim() + "'");
    };
  }
}
