package dev.vitrail.encoders.tower;

import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.split.SplitLayers;
import dev.vitrail.encoders.split.TowerSplit;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * The encoder's layers {@code name.0 .. name.(n-1)}, run one scope per layer, or split across cores
 * ({@link SplitLayers}) where {@link TowerSplit} says so; owns them.
 */
public final class LayerStack implements AutoCloseable {
  private final List<EncoderLayer> layers;
  private final SplitLayers split; // null when not split

  private LayerStack(List<EncoderLayer> layers, SplitLayers split) {
    this.layers = layers;
    this.split = split;
  }

  /** Loads {@code count} HF encoder layers under {@code name}. */
  public static LayerStack load(
      WeightMap w,
      String name,
      int count,
      long dim,
      long inner,
      int heads,
      Activation act,
      double eps) {
    int ways = Math.min(TowerSplit.ways(w.target()), heads); // every shard at least one head
    if (ways > 1) {
      return new LayerStack(
          List.of(), SplitLayers.load(w, name, count, dim, inner, heads, act, eps, ways));
    }
    List<EncoderLayer> layers = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        layers.add(EncoderLayer.load(w, name + "." + i, dim, inner, heads, act, eps));
      }
    } catch (RuntimeException e) {
      layers.forEach(EncoderLayer::close);
      throw e;
    }
    return new LayerStack(layers, null);
  }

  /**
   * Runs every layer on {@code input}, which the stack takes over. Returns the hidden states (input
   * first, then each layer's output) or, unless {@code all}, only the last; each is owned by the
   * caller and intermediate ones are freed as soon as they are consumed.
   */
  public List<Tensor> forward(Tensor input, boolean all) {
    if (split != null) {
      return split.forward(input, all);
    }
    List<Tensor> states = new ArrayList<>();
    Tensor x = input;
    try {
      for (EncoderLayer layer : layers) {
        Tensor next = layer.forward(x);
        if (all) {
          states.add(x);
        } else {
          x.close();
        }
        x = next;
      }
      states.add(x);
      return states;
    } catch (RuntimeException e) {
      states.forEach(Tensor::close);
      x.close();
      throw e;
    }
  }

  @Override
  public void close() {
    layers.forEach(EncoderLayer::close);
    if (split != null) {
      split.close();
    }
  }

  /** The number of threads the layers are split across (1: not split). */
  public int splitWays() {
    return split == null ? 1 : split.ways();
  }
}
