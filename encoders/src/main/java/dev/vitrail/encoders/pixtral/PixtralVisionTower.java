package dev.vitrail.encoders.pixtral;

import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.layers.RmsNorm;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tower.Parts;
import dev.vitrail.encoders.varlen.ResidualStream;
import dev.vitrail.encoders.varlen.RotateHalf;
import dev.vitrail.encoders.varlen.Segments;
import dev.vitrail.encoders.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The Pixtral vision tower (HF {@code PixtralVisionModel}): images of different sizes in one packed
 * sequence, patch conv without bias, {@code ln_pre} RMSNorm, layers with 2D rotary over each
 * image's own patch grid and attention only inside each image, no final norm. Not thread-safe;
 * {@link #close} frees the weights.
 */
public final class PixtralVisionTower implements AutoCloseable {
  /** Key prefixes: transformers 5 in memory, published LLaVA-style, stand-alone model. */
  public static final String[] PREFIXES = {"model.vision_tower.", "vision_tower.", ""};

  private final PixtralVisionConfig config;
  private final ComputeTarget target;
  private final Tensor patchConv;
  private final RmsNorm lnPre;
  private final List<PixtralLayer> layers;

  private PixtralVisionTower(
      PixtralVisionConfig config,
      ComputeTarget target,
      Tensor patchConv,
      RmsNorm lnPre,
      List<PixtralLayer> layers) {
    this.config = config;
    this.target = target;
    this.patchConv = patchConv;
    this.lnPre = lnPre;
    this.layers = List.copyOf(layers);
  }

  /** Builds the tower and checks that every tensor under the bound prefix was used. */
  public static PixtralVisionTower create(PixtralVisionConfig config, WeightMap weights) {
    Activation act = Activation.byName(config.hiddenAct());
    int hidden = config.hiddenSize();
    int p = config.patchSize();
    Parts owned = new Parts();
    try {
      Tensor conv = weights.take("patch_conv.weight", hidden, config.numChannels(), p, p);
      owned.add(conv::close);
      RmsNorm lnPre = owned.add(RmsNorm.load(weights, "ln_pre", hidden, PixtralLayer.RMS_EPS));
      List<PixtralLayer> layers = new ArrayList<>();
      for (int i = 0; i < config.numHiddenLayers(); i++) {
        layers.add(
            owned.add(
                PixtralLayer.load(
                    weights,
                    i,
                    hidden,
                    config.intermediateSize(),
                    config.numAttentionHeads(),
                    act)));
      }
      weights.finish();
      return new PixtralVisionTower(config, weights.target(), conv, lnPre, layers);
    } catch (RuntimeException e) {
      owned.close();
      throw e;
    }
  }

  /** The tower's configuration. */
  public PixtralVisionConfig config() {
    return config;
  }

  /** Where the weights live (device and compute dtype). */
  public ComputeTarget target() {
    return target;
  }

  /**
   * Runs the tower on images of their own sizes.
   *
   * @param images each {@code [C, h, w]} row-major, h and w multiples of the patch size
   * @param sizes {@code (h, w)} in pixels per image
   * @param hiddenStates whether to return every hidden state as well
   */
  public PixtralOutput forward(List<float[]> images, List<int[]> sizes, boolean hiddenStates) {
    int n = images.size();
    if (sizes.size() != n || n == 0) {
      throw new IllegalArgumentException(
          "need one (h, w) per image and at least one image, got "
              + n
              + " images and "
              + sizes.size()
              + " sizes");
    }
    int p = config.patchSize();
    int c = config.numChannels();
    int[] tokens = new int[n];
    long[] lengths = new long[n];
    List<float[]> states = new ArrayList<>();
    float[] patchEmbeds = new float[0];
    try (ResidualStream x = new ResidualStream()) {
      RotateHalf rotary;
      try (PointerScope scope = new PointerScope()) {
        TensorVector rows = new TensorVector();
        TensorVector positions = new TensorVector();
        for (int i = 0; i < n; i++) {
          int h = sizes.get(i)[0];
          int w = sizes.get(i)[1];
          if (h <= 0 || w <= 0 || h % p != 0 || w % p != 0 || images.get(i).length != c * h * w) {
            throw new IllegalArgumentException(
                "image "
                    + i
                    + " must be ["
                    + c
                    + ", h, w] with h, w positive multiples of "
                    + p
                    + ", got "
                    + h
                    + " x "
                    + w
                    + " and "
                    + images.get(i).length
                    + " values");
          }
          int gh = h / p;
          int gw = w / p;
          tokens[i] = gh * gw;
          lengths[i] = tokens[i];
          rows.push_back(
              HostTensors.upload(images.get(i), c, gh, p, gw, p)
                  .permute(1, 3, 0, 2, 4)
                  .reshape(gh * gw, (long) c * p * p));
          positions.push_back(PixtralRotary.grid(gh, gw));
        }
        Tensor kernel = patchConv.reshape(config.hiddenSize(), (long) c * p * p);
        Tensor embeds = torch.linear(target.place(torch.cat(rows, 0)), kernel);
        x.start(lnPre.forward(embeds));
        Tensor pos = torch.cat(positions, 0).to(embeds.device(), torch.ScalarType.Float);
        rotary = RotateHalf.of(PixtralRotary.angles(pos, config)).retain();
        x.onClose(rotary::release);
        if (hiddenStates) {
          patchEmbeds = HostTensors.download(embeds);
          states.add(HostTensors.download(x.current()));
        }
      }
      Segments segments = Segments.ofLengths(lengths);
      for (PixtralLayer layer : layers) {
        x.step(
            h -> layer.forward(h, rotary, segments),
            ResidualStream.keepingIf(hiddenStates, states));
      }
      float[] last =
          hiddenStates ? states.get(states.size() - 1) : HostTensors.download(x.current());
      return new PixtralOutput(tokens, config.hiddenSize(), last, states, patchEmbeds);
    }
  }

  @Override
  public void close() {
    patchConv.close();
    lnPre.close();
    layers.forEach(PixtralLayer::close);
  }
}
