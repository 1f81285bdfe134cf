package dev.vitrail.bench.encoders;

import dev.vitrail.config.hf.ClipVisionConfig;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.config.hf.SiglipVisionConfig;
import dev.vitrail.config.hf.VisionConfig;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a HuggingFace-layout checkpoint with random F32 weights for a CLIP or SigLIP vision config
 * ({@code config.json} copied, {@code model.safetensors} under {@code vision_model.}), or a
 * Qwen2.5-VL one (under {@code visual.}, see {@link QwenRandomCheckpoint}).
 */
public final class RandomCheckpoint {
  private final List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
  private final SplittableRandom random;

  private RandomCheckpoint(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Writes {@code configJson} and random weights for {@code config} into {@code dir}. */
  public static void write(Path dir, String configJson, VisionConfig config, long seed) {
    RandomCheckpoint r = new RandomCheckpoint(seed);
    if (config instanceof ClipVisionConfig c) {
      r.clip(c);
    } else if (config instanceof SiglipVisionConfig c) {
      r.siglip(c);
    } else if (config instanceof Qwen25VisionConfig c) {
      r.tensors.addAll(QwenRandomCheckpoint.tensors(c, r.random.nextLong()));
    } else {
      throw new IllegalArgumentException("no random checkpoint for family " + config.family());
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.json"), configJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE), r.tensors);
  }

  private void clip(ClipVisionConfig c) {
    long d = c.hiddenSize();
    long grid = c.imageSize() / c.patchSize();
    add("embeddings.class_embedding", 0.02f, d);
    add(
        "embeddings.patch_embedding.weight",
        0.02f,
        d,
        c.numChannels(),
        c.patchSize(),
        c.patchSize());
    add("embeddings.position_embedding.weight", 0.02f, grid * grid + 1, d);
    norm("pre_layrnorm", d);
    layers(c.numHiddenLayers(), d, c.intermediateSize());
    norm("post_layernorm", d);
  }

  private void siglip(SiglipVisionConfig c) {
    long d = c.hiddenSize();
    long grid = c.imageSize() / c.patchSize();
    add(
        "embeddings.patch_embedding.weight",
        0.02f,
        d,
        c.numChannels(),
        c.patchSize(),
        c.patchSize());
    add("embeddings.patch_embedding.bias", 0.02f, d);
    add("embeddings.position_embedding.weight", 0.02f, grid * grid, d);
    layers(c.numHiddenLayers(), d, c.intermediateSize());
    norm("post_layernorm", d);
    if (c.visionUseHead()) {
      add("head.probe", 0.02f, 1, 1, d);
      add("head.attention.in_proj_weight", 0.02f, 3 * d, d);
      add("head.attention.in_proj_bias", 0.02f, 3 * d);
      linear("head.attention.out_proj", d, d);
      norm("head.layernorm", d);
      linear("head.mlp.fc1", d, c.intermediateSize());
      linear("head.mlp.fc2", c.intermediateSize(), d);
    }
  }

  private void layers(int count, long d, long inner) {
    for (int i = 0; i < count; i++) {
      String l = "encoder.layers." + i;
      norm(l + ".layer_norm1", d);
      for (String p : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        linear(l + ".self_attn." + p, d, d);
      }
      norm(l + ".layer_norm2", d);
      linear(l + ".mlp.fc1", d, inner);
      linear(l + ".mlp.fc2", inner, d);
    }
  }

  private void linear(String name, long in, long out) {
    add(name + ".weight", (float) (1 / Math.sqrt(in)), out, in);
    add(name + ".bias", 0.02f, out);
  }

  private void norm(String name, long d) {
    long seed = random.nextLong();
    tensors.add(
        new SafetensorsWriter.Tensor(
            "vision_model." + name + ".weight",
            "F32",
            new long[] {d},
            b -> {
              SplittableRandom r = new SplittableRandom(seed);
              for (long i = 0; i < d; i++) {
                b.putFloat(1f + 0.1f * (float) (r.nextDouble() - 0.5));
              }
            }));
    add(name + ".bias", 0.02f, d);
  }

  private void add(String name, float scale, long... shape) {
    long seed = random.nextLong();
    tensors.add(
        new SafetensorsWriter.Tensor(
            "vision_model." + name,
            "F32",
            shape,
            b -> {
              SplittableRandom r = new SplittableRandom(seed);
              while (b.hasRemaining()) {
                b.putFloat(scale * (float) (2 * r.nextDouble() - 1));
              }
            }));
  }
}
