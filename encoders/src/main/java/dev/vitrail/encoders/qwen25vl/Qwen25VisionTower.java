package dev.vitrail.encoders.qwen25vl;

import static dev.vitrail.encoders.tensor.TensorRefs.retain;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.varlen.ResidualStream;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The Qwen2.5-VL vision tower ({@code Qwen2_5_VisionTransformerPretrainedModel}): patch embedding,
 * window-permuted blocks with 2D rotary, window or per-frame full attention, patch merger and the
 * reverse window order. Several entries with different {@code grid_thw} run in one call and never
 * attend to each other. Not thread-safe; {@link #close} frees the weights.
 */
public final class Qwen25VisionTower implements AutoCloseable {
  /** Key prefixes of the tower in published and in newer transformers checkpoints. */
  public static final String[] PREFIXES = {"model.visual.", "visual."};

  private final Qwen25VisionConfig config;
  private final ComputeTarget target;
  private final Tensor patchConv;
  private final List<Qwen25Block> blocks;
  private final Qwen25Merger merger;

  private Qwen25VisionTower(
      Qwen25VisionConfig config,
      ComputeTarget target,
      Tensor patchConv,
      List<Qwen25Block> blocks,
      Qwen25Merger merger) {
    this.config = config;
    this.target = target;
    this.patchConv = patchConv;
    this.blocks = List.copyOf(blocks);
    this.merger = merger;
  }

  /**
   * Loads the tower of a {@code qwen2_5_vl} model directory ({@code config.json} and its
   * safetensors), weights under {@code visual.} or {@code model.visual.}; other tensors (the LLM)
   * are not read.
   */
  public static Qwen25VisionTower load(Path modelDir, ComputeTarget target) {
    VisionConfig vc = HfConfigs.read(modelDir);
    if (!(vc instanceof Qwen25VisionConfig config)) {
      throw new IllegalArgumentException(
          modelDir + " holds a " + vc.family() + " model, not qwen2_5_vl");
    }
    try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
      return create(config, WeightMap.bind(checkpoint, target, PREFIXES));
    }
  }

  /**
   * Builds the tower from {@code weights} and checks that every tensor under its prefix was used.
   */
  public static Qwen25VisionTower create(Qwen25VisionConfig config, WeightMap weights) {
    Activation act = Activation.byName(config.hiddenAct());
    int hidden = config.hiddenSize();
    int unit = config.spatialMergeSize() * config.spatialMergeSize();
    Parts owned = new Parts();
    try {
      Tensor conv =
          weights.take(
              "patch_embed.proj.weight",
              hidden,
              config.inChannels(),
              config.temporalPatchSize(),
              config.patchSize(),
              config.patchSize());
      owned.add(conv::close);
      List<Qwen25Block> blocks = new ArrayList<>();
      for (int b = 0; b < config.depth(); b++) {
        blocks.add(
            owned.add(
                Qwen25Block.load(
                    weights, b, hidden, config.intermediateSize(), config.numHeads(), act)));
      }
      Qwen25Merger merger =
          owned.add(Qwen25Merger.load(weights, hidden, unit, config.outHiddenSize()));
      weights.finish();
      return new Qwen25VisionTower(config, weights.target(), conv, blocks, merger);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** The tower's configuration. */
  public Qwen25VisionConfig config() {
    return config;
  }

  /** The layout of a batch with these grids under this tower's window settings. */
  public WindowLayout layout(List<GridThw> grids) {
    int units = config.windowSize() / config.spatialMergeSize() / config.patchSize();
    if (units < 1) {
      throw new IllegalArgumentException(
          "window_size "
              + config.windowSize()
              + " is smaller than one merge unit (spatial_merge_size * patch_size = "
              + config.spatialMergeSize() * config.patchSize()
              + ")");
    }
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
          "grid_thw "
              + grids
              + " needs "
              + s
              + " x "
              + width
              + " pixel values, got "
              + pixels.length);
    }
    Segments windows = Segments.ofBoundaries(layout.cuWindowSeqlens());
    Segments frames = Segments.ofBoundaries(layout.cuSeqlens());
    int[] full = config.fullattBlockIndexes();
    List<float[]> states = new ArrayList<>();
    try (ResidualStream x = new ResidualStream()) {
      Rotary rotary;
      try (PointerScope scope = new PointerScope()) {
        Tensor perm = IndexTensors.of(layout.patchPermutation(), target.device());
        Tensor rows = target.upload(List.of(pixels), s, width); // pinned + async on CUDA
        // Conv3d with kernel = stride over one patch row == a matmul with the flattened kernel.
        Tensor kernel = patchConv.reshape(config.hiddenSize(), width);
        x.start(torch.linear(rows, kernel).index_select(0, perm));
        Tensor positions =
            HostTensors.upload(toFloats(layout.positions()), s, 2)
                .to(perm.device(), torch.ScalarType.Float)
                .index_select(0, perm);
        Rotary r = Rotary.of(positions, config.headDim());
        rotary = new Rotary(retain(r.cos()), retain(r.sin()));
        x.onClose(rotary.cos()::releaseReference);
        x.onClose(rotary.sin()::releaseReference);
        if (hiddenStates) {
          states.add(HostTensors.download(x.current()));
        }
      }
      for (int b = 0; b < blocks.size(); b++) {
        Qwen25Block block = blocks.get(b);
        Segments runs = contains(full, b) ? frames : windows;
        x.step(h -> block.forward(h, rotary, runs), ResidualStream.keepingIf(hiddenStates, states));
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor inverse = IndexTensors.of(layout.unitInverse(), target.device());
        float[] embeds = HostTensors.download(merger.forward(x.current()).index_select(0, inverse));
        return new Qwen25Output(layout, config.hiddenSize(), embeds, states);
      }
    }
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
