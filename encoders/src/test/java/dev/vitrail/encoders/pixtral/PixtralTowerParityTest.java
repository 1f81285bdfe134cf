package dev.vitrail.encoders.pixtral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.PixtralVisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.layers.Activation;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every tensor of {@code pixtral-tiny/io.safetensors} (the transformers 5.17 {@code
 * PixtralVisionModel} and LLaVA projector outputs) against the tower, sizes from the config.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class PixtralTowerParityTest {
  static final String DIR = "models/pixtral-tiny";

  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  /** The images of the padded batch, each cut to its own size, and the sizes. */
  static List<float[]> images(IoFile io, List<int[]> sizes) {
    long[] shape = io.shape("pixel_values");
    long[] hw = io.longs("image_sizes");
    List<float[]> out = new ArrayList<>();
    try (PointerScope scope = new PointerScope()) {
      Tensor batch = HostTensors.upload(io.floats("pixel_values"), shape);
      for (int b = 0; b < shape[0]; b++) {
        int h = (int) hw[2 * b];
        int w = (int) hw[2 * b + 1];
        sizes.add(new int[] {h, w});
        out.add(HostTensors.download(batch.select(0, b).narrow(1, 0, h).narrow(2, 0, w)));
      }
    }
    return out;
  }

  @Test
  void everyStoredTensorMatches() {
    Path dir = Fixtures.file(DIR);
    PixtralVisionConfig config = (PixtralVisionConfig) HfConfigs.read(dir);
    JsonNode root = Fixtures.json(DIR + "/config.json");
    Set<String> checked = new HashSet<>();
    try (Checkpoint ck = Checkpoint.open(dir);
        PixtralVisionTower tower =
            PixtralVisionTower.create(
                config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), PixtralVisionTower.PREFIXES));
        LlavaProjector projector =
            LlavaProjector.load(
                WeightMap.bind(ck, ComputeTarget.cpuFloat(), LlavaProjector.PREFIXES),
                config.hiddenSize(),
                root.path("text_config").path("hidden_size").asInt(),
                Activation.byName(root.path("projector_hidden_act").asText()),
                root.path("multimodal_projector_bias").asBoolean(true));
        IoFile io = IoFile.open(DIR + "/io.safetensors");
        PointerScope scope = new PointerScope()) {
      List<int[]> sizes = new ArrayList<>();
      List<float[]> images = images(io, sizes);
      PixtralOutput out = tower.forward(images, sizes, true);
      int s = out.lastHiddenState().length / config.hiddenSize();
      TensorVector pos = new TensorVector();
      long[] cu = new long[images.size() + 1];
      for (int i = 0; i < images.size(); i++) {
        int gh = sizes.get(i)[0] / config.patchSize();
        int gw = sizes.get(i)[1] / config.patchSize();
        pos.push_back(PixtralRotary.grid(gh, gw));
        cu[i + 1] = cu[i] + out.tokens()[i];
      }
      Tensor positions = torch.cat(pos, 0);
      // the projector's input: the config's vision_feature_layer (negative counts from the end)
      int selected = root.path("vision_feature_layer").asInt(-1);
      int featureLayer = selected < 0 ? config.numHiddenLayers() + 1 + selected : selected;
      for (String name : io.names()) {
        switch (name) {
          case "pixel_values", "image_sizes" -> {
            continue;
          }
          case "position_ids" -> assertArrayEquals(io.longs(name), longs(positions), name);
          case "cu_seqlens" -> assertArrayEquals(io.longs(name), cu, name);
          case "rotary_angles" ->
              Parity.assertClose(
                  name,
                  io.floats(name),
                  HostTensors.download(
                      PixtralRotary.angles(positions.to(torch.ScalarType.Float), config)));
          case "patch_embeds" -> Parity.assertClose(name, io.floats(name), out.patchEmbeds());
          case "last_hidden_state" ->
              Parity.assertClose(name, io.floats(name), out.lastHiddenState());
          case "image_embeds" ->
              Parity.assertClose(
                  name,
                  io.floats(name),
                  HostTensors.download(
                      projector.forward(
                          HostTensors.upload(
                              out.hiddenStates().get(featureLayer), s, config.hiddenSize()))));
          default -> {
            int layer = Integer.parseInt(name.substring("hidden_states.".length()));
            Parity.assertClose(name, io.floats(name), out.hiddenStates().get(layer));
          }
        }
        checked.add(name);
      }
    }
    assertEquals(5 + config.numHiddenLayers() + 1 + 1, checked.size(), checked.toString());
  }

  private static long[] longs(Tensor t) {
    Tensor c = t.contiguous();
    long[] out = new long[(int) c.numel()];
    c.data_ptr_long().get(out);
    return out;
  }
}
