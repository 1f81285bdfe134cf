package dev.vitrail.encoders.siglip2;

import dev.vitrail.config.hf.Siglip2VisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.LayerNorm;
import dev.vitrail.encoders.layers.Linear;
import dev.vitrail.encoders.siglip.SiglipPoolingHead;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.LayerStack;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.tower.PositionTable;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The SigLIP2 naflex vision tower (HF {@code Siglip2VisionModel}): patch rows through a linear
 * embedding, the position table resized to each image's own grid, the SigLIP encoder, {@code
 * post_layernorm} and the attention-pooling head. Images keep their aspect ratio; instead of a
 * padded batch with an attention mask, images with the same patch count run as one batch and no
 * padding row is ever computed (the real rows equal HF's masked ones; {@link Siglip2Groups}). Not
 * thread-safe.
 */
public final class Siglip2VisionTower implements AutoCloseable {
  /** Key prefix of the tower in {@code siglip2} and stand-alone checkpoints. */
  public static final String[] PREFIXES = {"vision_model."};

  private final Siglip2VisionConfig config;
  private final ComputeTarget target;
  private final Linear patchEmbed;
  private final Tensor posTable; // [1, D, side, side] float32
  private final LayerStack layers;
  private final LayerNorm postNorm;
  private final SiglipPoolingHead head; // null without vision_use_head

  private Siglip2VisionTower(
      Siglip2VisionConfig config,
      ComputeTarget target,
      Linear patchEmbed,
      Tensor posTable,
      LayerStack layers,
      LayerNorm postNorm,
      SiglipPoolingHead head) {
    this.config = config;
    this.target = target;
    this.patchEmbed = patchEmbed;
    this.posTable = posTable;
    this.layers = layers;
    this.postNorm = postNorm;
    this.head = head;
  }

  /** Builds the tower and checks that every tensor under the bound prefix was used. */
  public static Siglip2VisionTower create(Siglip2VisionConfig c, WeightMap w) {
    int d = c.hiddenSize();
    Activation act = Activation.byName(c.hiddenAct());
    Parts owned = new Parts();
    try {
      Linear embed =
          owned.add(Linear.load(w, "embeddings.patch_embedding", c.patchRowWidth(), d, true));
      Tensor table =
          PositionTable.load(
              w, "embeddings.position_embedding.weight", c.numPatches(), c.positionSide(), d, true);
      owned.add(table::releaseReference);
      LayerStack stack =
          owned.add(
              LayerStack.load(
                  w,
                  "encoder.layers",
                  c.numHiddenLayers(),
                  d,
                  c.intermediateSize(),
                  c.numAttentionHeads(),
                  act,
                  c.layerNormEps()));
      LayerNorm post = owned.add(LayerNorm.load(w, "post_layernorm", d, c.layerNormEps()));
      SiglipPoolingHead head =
          c.visionUseHead()
              ? owned.add(
                  SiglipPoolingHead.load(
                      w,
                      "head",
                      d,
                      c.intermediateSize(),
                      c.numAttentionHeads(),
                      act,
                      c.layerNormEps()))
              : null;
      w.finish();
      return new Siglip2VisionTower(c, w.target(), embed, table, stack, post, head);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** The tower's configuration. */
  public Siglip2VisionConfig config() {
    return config;
  }

  /** {@code post_layernorm} on a host float32 tensor; the result lives in the caller's scope. */
  public Tensor postLayerNorm(Tensor x) {
    return postNorm.forward(target.place(x)).to(torch.ScalarType.Float).cpu();
  }

  /** Whether the checkpoint has the attention-pooling head. */
  public boolean hasHead() {
    return head != null;
  }

  /**
   * Runs the tower.
   *
   * @param images per image its patch rows {@code [h·w, C·p·p]} row-major (processor layout)
   * @param shapes {@code (h, w)} in patches per image
   * @param hiddenStates whether to return every hidden state
   * @param pooled whether to run the head
   */
  public Siglip2Output forward(
      List<float[]> images, List<int[]> shapes, boolean hiddenStates, boolean pooled) {
    int n = images.size();
    Siglip2Groups batches = Siglip2Groups.of(images, shapes, config.patchRowWidth());
    float[][] last = new float[n][];
    float[][][] states = new float[hiddenStates ? config.numHiddenLayers() + 1 : 0][n][];
    float[][] pools = new float[pooled && head != null ? n : 0][];
    for (List<Integer> group : batches.groups()) {
      runGroup(images, shapes, group, last, states, pools);
    }
    List<List<float[]>> hs = new ArrayList<>();
    for (float[][] layer : states) {
      hs.add(Arrays.asList(layer));
    }
    return new Siglip2Output(batches.tokens(), Arrays.asList(last), hs, Arrays.asList(pools));
  }

  private void runGroup(
      List<float[]> images,
      List<int[]> shapes,
      List<Integer> group,
      float[][] last,
      float[][][] states,
      float[][] pools) {
    int width = config.patchRowWidth();
    long len = (long) shapes.get(group.get(0))[0] * shapes.get(group.get(0))[1];
    Tensor x;
    try (PointerScope scope = new PointerScope()) {
      TensorVector rows = new TensorVector();
      TensorVector pos = new TensorVector();
      for (int i : group) {
        rows.push_back(HostTensors.upload(images.get(i), len, width));
        pos.push_back(Siglip2Positions.resize(posTable, shapes.get(i)[0], shapes.get(i)[1]));
      }
      Tensor embeds = patchEmbed.forward(target.place(torch.stack(rows, 0)));
      x = embeds.add(target.place(torch.stack(pos, 0)).to(embeds.scalar_type()));
      x.retainReference();
    }
    List<Tensor> out = layers.forward(x, states.length > 0);
    try (PointerScope scope = new PointerScope()) {
      Tensor normed = postNorm.forward(out.get(out.size() - 1));
      Tensor pooledAll = pools.length > 0 ? head.forward(normed) : null;
      for (int k = 0; k < group.size(); k++) {
        int i = group.get(k);
        last[i] = HostTensors.download(normed.select(0, k));
        for (int s = 0; s < states.length; s++) {
          states[s][i] = HostTensors.download(out.get(s).select(0, k));
        }
        if (pooledAll != null) {
          pools[i] = HostTensors.download(pooledAll.select(0, k));
        }
      }
      if (pooledAll != null) {
        pooledAll.close();
      }
    } finally {
      out.forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    patchEmbed.close();
    posTable.releaseReference();
    layers.close();
    postNorm.close();
    if (head != null) {
      head.close();
    }
  }
}
