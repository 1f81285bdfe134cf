package dev.vitrail.encoders.kimi;

import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.varlen.FusedQkvBlock;
import dev.vitrail.encoders.varlen.ResidualStream;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The Kimi K2.5 MoonViT tower (HF {@code Kimi_K25VisionModel}, published tensor names): patch conv
 * with bias, resized learned position table plus a temporal term for videos, blocks with pair
 * rotary and attention inside each entry, final LayerNorm, then the {@code sd2_tpool} merge.
 * Entries with different {@code t} run in one call. Not thread-safe; {@link #close} frees it.
 */
public final class KimiVisionTower implements AutoCloseable {
  /** Key prefix of the tower in published checkpoints. */
  public static final String[] PREFIXES = {"vision_tower."};

  /** LayerNorm eps of the tower (fixed, not a config field). */
  static final double LN_EPS = 1e-5;

  /** MoonViT's block tensor names under {@code encoder.blocks.<index>.}. */
  private static final FusedQkvBlock.Names BLOCK =
      new FusedQkvBlock.Names("norm0", "wqkv", "wo", "norm1", "mlp.fc0", "mlp.fc1");

  private final KimiK25VisionConfig config;
  private final ComputeTarget target;
  private final Linear patchEmbed;
  private final KimiPosEmbedding posEmbedding;
  private final List<FusedQkvBlock> blocks;
  private final LayerNorm finalNorm;

  private KimiVisionTower(
      KimiK25VisionConfig config,
      ComputeTarget target,
      Linear patchEmbed,
      KimiPosEmbedding posEmbedding,
      List<FusedQkvBlock> blocks,
      LayerNorm finalNorm) {
    this.config = config;
    this.target = target;
    this.patchEmbed = patchEmbed;
    this.posEmbedding = posEmbedding;
    this.blocks = List.copyOf(blocks);
    this.finalNorm = finalNorm;
  }

  /** Builds the tower and checks that every tensor under the bound prefix was used. */
  public static KimiVisionTower create(KimiK25VisionConfig config, WeightMap weights) {
    int hidden = config.hiddenSize();
    int p = config.patchSize();
    Parts owned = new Parts();
    try {
      Tensor conv = weights.take("patch_embed.proj.weight", hidden, 3, p, p);
      Tensor bias = weights.take("patch_embed.proj.bias", hidden);
      Tensor flat = conv.reshape(hidden, 3L * p * p);
      conv.close();
      Linear embed = owned.add(new Linear(flat, bias));
      KimiPosEmbedding pos =
          owned.add(
              KimiPosEmbedding.load(
                  weights,
                  config.posEmbHeight(),
                  config.posEmbWidth(),
                  hidden,
                  config.posEmbTime()));
      List<FusedQkvBlock> blocks = new ArrayList<>();
      for (int b = 0; b < config.numHiddenLayers(); b++) {
        blocks.add(
            owned.add(
                FusedQkvBlock.load(
                    weights,
                    "encoder.blocks." + b + ".",
                    BLOCK,
                    hidden,
                    config.intermediateSize(),
                    config.numAttentionHeads(),
                    Activation.GELU_TANH,
                    LN_EPS)));
      }
      LayerNorm fin = owned.add(LayerNorm.load(weights, "encoder.final_layernorm", hidden, LN_EPS));
      weights.finish();
      return new KimiVisionTower(config, weights.target(), embed, pos, blocks, fin);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** The tower's configuration. */
  public KimiK25VisionConfig config() {
    return config;
  }

  /** Where the weights live (device and compute dtype). */
  public ComputeTarget target() {
    return target;
  }

  /** Values per patch row: {@code 3 · patch · patch}. */
  public int patchRowWidth() {
    return 3 * config.patchSize() * config.patchSize();
  }

  /**
   * Runs the tower.
   *
   * @param pixels {@code [Σ t·h·w, 3·p·p]} row-major, per entry frame by frame, rows row-major
   * @param grids {@code (t, h, w)} per entry; h and w multiples of the merge kernel
   * @param details whether to return hidden states, position terms and the last hidden state
   */
  public KimiOutput forward(float[] pixels, List<int[]> grids, boolean details) {
    int[] kernel = config.mergeKernel();
    long[] lengths = KimiLayout.entryRows(grids, kernel);
    long rows = 0;
    for (long length : lengths) {
      rows += length;
    }
    int width = patchRowWidth();
    if (grids.isEmpty() || rows * width != pixels.length) {
      throw new IllegalArgumentException(
          "grids "
              + grids.size()
              + " need "
              + rows
              + " x "
              + width
              + " pixel values, got "
              + pixels.length);
    }
    List<float[]> states = new ArrayList<>();
    float[] posTerms = new float[0];
    try (ResidualStream x = new ResidualStream()) {
      PairRotary rotary;
      try (PointerScope scope = new PointerScope()) {
        TensorVector pos = new TensorVector();
        TensorVector ids = new TensorVector();
        for (int[] g : grids) {
          pos.push_back(posEmbedding.forward(g[0], g[1], g[2]));
          ids.push_back(KimiLayout.positions(g));
        }
        Tensor terms = target.place(torch.cat(pos, 0).to(torch.ScalarType.Float));
        Tensor embeds = patchEmbed.forward(target.place(HostTensors.upload(pixels, rows, width)));
        x.start(embeds.add(terms.to(embeds.scalar_type())));
        rotary =
            PairRotary.of(PairRotary.angles(torch.cat(ids, 0), config.headDim()))
                .retainOn(target.device());
        x.onClose(rotary::release);
        if (details) {
          posTerms = HostTensors.download(terms);
          states.add(HostTensors.download(x.current()));
        }
      }
      Segments segments = Segments.ofLengths(lengths);
      for (FusedQkvBlock block : blocks) {
        x.step(
            h -> block.forward(h, rotary::apply, segments),
            ResidualStream.keepingIf(details, states));
      }
      try (PointerScope scope = new PointerScope()) {
        Tensor last = finalNorm.forward(x.current());
        float[] lastValues = details ? HostTensors.download(last) : new float[0];
        float[] merged = HostTensors.download(KimiLayout.merge(last, grids, kernel));
        return new KimiOutput(grids, config.hiddenSize(), merged, lastValues, states, posTerms);
      }
    }
  }

  @Override
  public void close() {
    patchEmbed.close();
    posEmbedding.close();
    blocks.forEach(FusedQkvBlock::close);
    finalNorm.close();
  }
}
