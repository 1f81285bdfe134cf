package dev.vitrail.encoders.qwen3vl;

import dev.vitrail.config.hf.Qwen3VlVisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.tower.PositionTable;
import dev.vitrail.encoders.varlen.FusedQkvBlock;
import dev.vitrail.encoders.varlen.ResidualStream;
import dev.vitrail.encoders.varlen.RotateHalf;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The Qwen3-VL vision tower (HF {@code Qwen3VLVisionModel}): Conv3d patch embedding with bias, the
 * learned position table interpolated to each grid, blocks with 2D rotary and per-frame attention,
 * the patch merger, and deepstack mergers after the configured blocks. Several entries (images,
 * videos) run in one call. Not thread-safe; {@link #close} frees the weights.
 */
public final class Qwen3VlVisionTower implements AutoCloseable {
  /** Key prefixes of the tower: transformers 5 / published Qwen3-VL, then vLLM's. */
  public static final String[] PREFIXES = {"model.visual.", "visual."};

  /** HF's LayerNorm eps in the vision tower (not a config field). */
  static final double LN_EPS = 1e-6;

  /** The block tensor names under {@code blocks.<index>.}. */
  private static final FusedQkvBlock.Names BLOCK =
      new FusedQkvBlock.Names(
          "norm1", "attn.qkv", "attn.proj", "norm2", "mlp.linear_fc1", "mlp.linear_fc2");

  private final Qwen3VlVisionConfig config;
  private final ComputeTarget target;
  private final Linear patchEmbed;
  private final Tensor posTable; // [1, D, side, side]
  private final List<FusedQkvBlock> blocks;
  private final Qwen3VlMerger merger;
  private final List<Qwen3VlMerger> deepstack;

  private Qwen3VlVisionTower(
      Qwen3VlVisionConfig config,
      ComputeTarget target,
      Linear patchEmbed,
      Tensor posTable,
      List<FusedQkvBlock> blocks,
      Qwen3VlMerger merger,
      List<Qwen3VlMerger> deepstack) {
    this.config = config;
    this.target = target;
    this.patchEmbed = patchEmbed;
    this.posTable = posTable;
    this.blocks = List.copyOf(blocks);
    this.merger = merger;
    this.deepstack = List.copyOf(deepstack);
  }

  /** Builds the tower and checks that every tensor under the bound prefix was used. */
  public static Qwen3VlVisionTower create(Qwen3VlVisionConfig c, WeightMap w) {
    Activation act = Activation.byName(c.hiddenAct());
    int hidden = c.hiddenSize();
    int unit = c.spatialMergeSize() * c.spatialMergeSize();
    Parts owned = new Parts();
    try {
      Tensor conv =
          w.take(
              "patch_embed.proj.weight",
              hidden,
              c.inChannels(),
              c.temporalPatchSize(),
              c.patchSize(),
              c.patchSize());
      Tensor bias = w.take("patch_embed.proj.bias", hidden);
      Tensor flat = conv.reshape(hidden, c.patchRowWidth());
      conv.close();
      Linear embed = owned.add(new Linear(flat, bias));
      Tensor table =
          PositionTable.load(
              w, "pos_embed.weight", c.numPositionEmbeddings(), c.positionSide(), hidden, false);
      owned.add(table::releaseReference);
      List<FusedQkvBlock> blocks = new ArrayList<>();
      for (int b = 0; b < c.depth(); b++) {
        blocks.add(
            owned.add(
                FusedQkvBlock.load(
                    w,
                    "blocks." + b + ".",
                    BLOCK,
                    hidden,
                    c.intermediateSize(),
                    c.numHeads(),
                    act,
                    LN_EPS)));
      }
      Qwen3VlMerger merger =
          owned.add(Qwen3VlMerger.load(w, "merger", hidden, unit, c.outHiddenSize(), false));
      List<Qwen3VlMerger> deep = new ArrayList<>();
      for (int i = 0; i < c.deepstackVisualIndexes().length; i++) {
        deep.add(
            owned.add(
                Qwen3VlMerger.load(
                    w, "deepstack_merger_list." + i, hidden, unit, c.outHiddenSize(), true)));
      }
      w.finish();
      return new Qwen3VlVisionTower(c, w.target(), embed, table, blocks, merger, deep);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** The tower's configuration. */
  public Qwen3VlVisionConfig config() {
    return config;
  }

  /**
   * Runs the tower.
   *
   * @param pixels {@code [Σ t·h·w, C·T·P·P]} row-major, processor order
   * @param grids {@code (t, h, w)} per entry, h and w multiples of the merge size
   * @param hiddenStates whether to return every hidden state as well
   */
  public Qwen3VlOutput forward(float[] pixels, List<int[]> grids, boolean hiddenStates) {
    int m = config.spatialMergeSize();
    long[] frameLengths = Qwen3VlPositions.frameLengths(grids, m);
    long rows = LongStream.of(frameLengths).sum();
    int width = config.patchRowWidth();
    if (grids.isEmpty() || rows * width != pixels.length) {
      throw new IllegalArgumentException(
          "grid_thw needs " + rows + " x " + width + " pixel values, got " + pixels.length);
    }
    List<float[]> states = new ArrayList<>();
    List<float[]> deep = new ArrayList<>();
    int[] deepIndexes = config.deepstackVisualIndexes();
    try (ResidualStream x = new ResidualStream()) {
      RotateHalf rotary;
      try (PointerScope scope = new PointerScope()) {
        TensorVector pos = new TensorVector();
        TensorVector ids = new TensorVector();
        Tensor table = posTable.to(torch.ScalarType.Float);
        for (int[] g : grids) {
          pos.push_back(Qwen3VlPositions.embeddings(table, g[0], g[1], g[2], m));
          ids.push_back(Qwen3VlPositions.rowsCols(g[0], g[1], g[2], m));
        }
        Tensor embeds = patchEmbed.forward(target.place(HostTensors.upload(pixels, rows, width)));
        x.start(embeds.add(torch.cat(pos, 0).to(embeds.scalar_type())));
        Tensor angles = Qwen3VlPositions.angles(torch.cat(ids, 0), config);
        rotary = RotateHalf.of(target.place(angles).to(torch.ScalarType.Float)).retain();
        x.onClose(rotary::release);
        if (hiddenStates) {
          states.add(HostTensors.download(x.current()));
        }
      }
      Segments frames = Segments.ofLengths(frameLengths);
      for (int b = 0; b < blocks.size(); b++) {
        FusedQkvBlock block = blocks.get(b);
        int index = b;
        x.step(
            h -> block.forward(h, rotary::apply, frames),
            h -> {
              if (hiddenStates) {
                states.add(HostTensors.download(h));
              }
              for (int k = 0; k < deepIndexes.length; k++) {
                if (deepIndexes[k] == index) {
                  deep.add(HostTensors.download(deepstack.get(k).forward(h)));
                }
              }
            });
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor h = x.current();
        float[] last = hiddenStates ? states.get(states.size() - 1) : HostTensors.download(h);
        return new Qwen3VlOutput(HostTensors.download(merger.forward(h)), deep, last, states);
      }
    }
  }

  @Override
  public void close() {
    patchEmbed.close();
    posTable.releaseReference();
    blocks.forEach(FusedQkvBlock::close);
    merger.close();
    deepstack.forEach(Qwen3VlMerger::close);
  }
}
