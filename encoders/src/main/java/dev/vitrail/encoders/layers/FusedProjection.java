package dev.vitrail.encoders.layers;

import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.LinearKernel;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Several {@code [dim, dim]} projections of the same input stacked into one {@link Linear} ({@code
 * [parts·dim, dim]}), so that one GEMM computes them all; the outputs are the parts in order along
 * the last axis.
 */
final class FusedProjection {
  private FusedProjection() {}

  /**
   * Whether {@code target} copies the checkpoint's weights anyway (so that stacking them costs no
   * memory): all but float32 {@code DENSE} layers on the CPU, which use the mapped file in place.
   */
  static boolean copiesAnyway(ComputeTarget target) {
    return !target.isCpu()
        || target.dtype() != torch.ScalarType.Float
        || target.linearKernel() != LinearKernel.DENSE;
  }

  /** Loads {@code name.<part>.weight} (and {@code .bias}) for each part and stacks them. */
  static Linear load(WeightMap w, String name, String[] parts, long dim, boolean bias) {
    List<Tensor> taken = new ArrayList<>();
    try {
      List<Tensor> weights = new ArrayList<>();
      List<Tensor> biases = new ArrayList<>();
      for (String part : parts) {
        weights.add(take(taken, w, name + "." + part + ".weight", dim, dim));
        if (bias) {
          biases.add(take(taken, w, name + "." + part + ".bias", dim));
        }
      }
      Tensor weight = stack(weights);
      Tensor b = null;
      try {
        b = bias ? stack(biases) : null;
      } catch (RuntimeException e) {
        weight.close();
        throw e;
      }
      return Linear.create(weight, b, w.target().linearKernel());
    } finally {
      taken.forEach(Tensor::close);
    }
  }

  private static Tensor take(List<Tensor> taken, WeightMap w, String name, long... shape) {
    Tensor t = w.take(name, shape);
    taken.add(t);
    return t;
  }

  private static Tensor stack(List<Tensor> parts) {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
      t.retainReference();
      return t;
    }
  }
}
