package dev.vitrail.encoders.qwen25vl;

import dev.vitrail.config.hf.Qwen25VisionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The Qwen2.5-VL vision tower ({@code Qwen2_5_VisionTransformerPretrainedModel}): patch embedding,
 * window-permuted blocks with 2D rotary, window or per-frame full attention, patch merger and the
 * reverse window order. Several entries with different {@code grid_thw} run in one call and never
 * attend to each other. Not thread-safe; {@link #close} frees the weights.
 */
public final class Qwen25VisionTower implements AutoCloseable {
  private final Qwen25VisionConfig config;
  private final Device device;
  private final torch.ScalarType dtype;
  private final Tensor patchConv;
  private final List<Qwen25Block> blocks;
  private final Qwen25Merger merger;

  private Qwen25VisionTower(
      Qwen25VisionConfig config, Device device, torch.ScalarType dtype, WeightSource weights) {
    this.config = config;
    this.device = device;
    this.dtype = dtype;
    int hidden = config.hiddenSize();
    patchConv =
        weights.take(
            "patch_embed.proj.weight",
            hidden,
            config.inChannels(),
            config.temporalPatchSize(),
            config.patchSize(),
            config.patchSize());
    blocks = new ArrayList<>();
    for (int b = 0; b < config.depth(); b++) {
      blocks.add(
          new Qwen25Block(weights, b, hidden, config.intermediateSize(), config.numHeads()));
    }
    int unit = config.spatialMergeSize() * config.spatialMergeSize();
    merger = new Qwen25Merger(weights, hidden, unit, config.outHiddenSize());
  }

  /**
   * Builds the tower from {@code weights} (names relative to {@code visual.}); every tensor it
   * keeps survives any caller scope until {@link #close}.
   */
  static Qwen25VisionTower create(
      Qwen25VisionConfig config, Device device, torch.ScalarType dtype, WeightSource weights) {
    if (!"silu".equals(config.hiddenAct())) {
      throw new IllegalArgumentException(
          "Qwen2.5-VL vision hidden_act must be silu, got " + config.hiddenAct());
    }
    try (PointerScope scope = new PointerScope()) {
      WeightSource kept =
          (name, shape) -> {
            Tensor t = weights.take(name, shape);
            t.retainReference();
            return t;
          };
      return new Qwen25VisionTower(config, device, dtype, kept);
    }
  }

  /** The tower's configuration. */
  public Qwen25VisionConfig config() {
    return config;
  }

  /** The layout of a batch with these grids under this tower's window settings. */
  public WindowLayout layout(List<GridThw> grids) {
    int units = config.windowSize() / config.spatialMergeSize() / config.patchSize();
    return WindowLayout.compute(grids, config.spatialMergeSize(), units);
  }

  /**
   * Runs the tower on the concatenated patch rows of {@code grids}.
   *
   * @param pixels {@code [sum t*h*w, C*T*P*P]} row-major, processor order
   * @param grids one entry per image or video, in the order of the rows
   * @param hiddenStates whether to return every hidden state as well
   */
  public Qwen25Output forward(float[] pixels, List<GridThw> grids, boolean hiddenStates) {
    WindowLayout layout = layout(grids);
    int s = layout.patches();
    int width = config.patchRowWidth();
    if ((long) s * width != pixels.length) {
      throw new IllegalArgumentException(
          "grid_thw " + grids + " needs " + s + " x " + width + " pixel values, got "
              + pixels.length);
    }
    List<SegmentRun> windowRuns = SegmentRun.of(layout.cuWindowSeqlens());
    List<SegmentRun> frameRuns = SegmentRun.of(layout.cuSeqlens());
    int[] full = config.fullattBlockIndexes();
    List<float[]> states = new ArrayList<>();
    Tensor x = null;
    Tensor cos = null;
    Tensor sin = null;
    try {
      try (PointerScope scope = new PointerScope()) {
        Tensor perm = HostTensors.longs(layout.patchPermutation(), device);
        Tensor rows = HostTensors.floats(pixels, device, s, width).to(dtype);
        // Conv3d with kernel = stride over one patch row == a matmul with the flattened kernel.
        Tensor kernel = patchConv.reshape(config.hiddenSize(), width);
        x = retain(torch.linear(rows, kernel).index_select(0, perm));
        Tensor positions =
            HostTensors.floats(toFloats(layout.positions()), device, s, 2).index_select(0, perm);
        Rotary r = Rotary.of(positions, config.headDim());
        cos = retain(r.cos());
        sin = retain(r.sin());
        if (hiddenStates) {
          states.add(HostTensors.toHeap(x));
        }
      }
      Rotary rotary = new Rotary(cos, sin);
      for (int b = 0; b < blocks.size(); b++) {
        List<SegmentRun> runs = contains(full, b) ? frameRuns : windowRuns;
        Tensor y;
        try (PointerScope scope = new PointerScope()) {
          y = retain(blocks.get(b).forward(x, rotary, runs));
          if (hiddenStates) {
            states.add(HostTensors.toHeap(y));
          }
        }
        x.releaseReference();
        x = y;
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor inverse = HostTensors.longs(layout.unitInverse(), device);
        float[] embeds = HostTensors.toHeap(merger.forward(x).index_select(0, inverse));
        return new Qwen25Output(layout, config.hiddenSize(), embeds, states);
      }
    } finally {
      for (Tensor t : Arrays.asList(x, cos, sin)) {
        if (t != null) {
          t.releaseReference();
        }
      }
    }
  }

  private static Tensor retain(Tensor t) {
    t.retainReference();
    return t;
  }

  private static boolean contains(int[] values, int v) {
    return Arrays.stream(values).anyMatch(i -> i == v);
  }

  private static float[] toFloats(int[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  @Override
  public void close() {
    patchConv.close();
    blocks.forEach(Qwen25Block::close);
    merger.close();
  }
}
