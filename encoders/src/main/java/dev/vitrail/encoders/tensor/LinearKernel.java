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
 *       with AVX512-BF16/AMX), or asked for with {@code VITRAIL_LINEAR_KERNEL=onednn}.
 *   <li>{@link #INT8}: per-output-channel int8 weights, activations quantized per call (dynamic) by
 *       FBGEMM; everything else in float32.
 * </ul>
 */
public enum LinearKernel {
  DENSE,
  ONEDNN,
  INT8
}
