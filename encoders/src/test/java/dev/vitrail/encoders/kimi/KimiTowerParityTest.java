package dev.vitrail.encoders.kimi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every tensor of {@code kimi_k25-tiny/io.safetensors} (three still images) and {@code
 * io-video.safetensors} (two 2-frame chunks) against the tower and projector, sizes from the
 * config.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class KimiTowerParityTest {
  static final String DIR = "models/kimi_k25-tiny";

  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  static List<int[]> grids(IoFile io) {
    long[] g = io.longs("grid_thw");
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < g.length / 3; i++) {
      out.add(new int[] {(int) g[3 * i], (int) g[3 * i + 1], (int) g[3 * i + 2]});
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"io.safetensors", "io-video.safetensors"})
  void everyStoredTensorMatches(String file) {
    Path dir = Fixtures.file(DIR);
    KimiK25VisionConfig config = (KimiK25VisionConfig) HfConfigs.read(dir);
    Set<String> checked = new HashSet<>();
    try (Checkpoint ck = Checkpoint.open(dir);
        KimiVisionTower tower =
            KimiVisionTower.create(
                config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), KimiVisionTower.PREFIXES));
        KimiProjector projector =
            KimiProjector.load(
                config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), KimiProjector.PREFIXES));
        IoFile io = IoFile.open(DIR + "/" + file);
        PointerScope scope = new PointerScope()) {
      List<int[]> grids = grids(io);
      KimiOutput out = tower.forward(io.floats("pixel_values"), grids, true);
      TensorVector ids = new TensorVector();
      long[] cu = new long[grids.size() + 1];
      long merged = 0;
      for (int i = 0; i < grids.size(); i++) {
        int[] g = grids.get(i);
        ids.push_back(KimiLayout.positions(g));
        cu[i + 1] = cu[i] + (long) g[0] * g[1] * g[2];
        merged += (long) g[1] * g[2] / config.mergeFactor();
      }
      Tensor positions = torch.cat(ids, 0);
      for (String name : io.names()) {
        switch (name) {
          case "pixel_values", "grid_thw" -> {
            continue;
          }
          case "rotary_pos_ids" -> assertArrayEquals(io.longs(name), longs(positions), name);
          case "cu_seqlens" -> assertArrayEquals(io.longs(name), cu, name);
          case "rotary_angles" ->
              Parity.assertClose(
                  name,
                  io.floats(name),
                  HostTensors.download(PairRotary.angles(positions, config.headDim())));
          case "position_embeddings" ->
              Parity.assertClose(name, io.floats(name), out.positionEmbeddings());
          case "last_hidden_state" ->
              Parity.assertClose(name, io.floats(name), out.lastHiddenState());
          case "pooler_output" -> {
            assertArrayEquals(
                new long[] {merged, config.mergeFactor(), config.hiddenSize()}, io.shape(name));
            Parity.assertClose(name, io.floats(name), out.merged());
          }
          case "image_embeds" ->
              Parity.assertClose(
                  name,
                  io.floats(name),
                  HostTensors.download(
                      projector.forward(
                          HostTensors.upload(
                              out.merged(), merged, config.mergeFactor(), config.hiddenSize()))));
          default -> {
            int layer = Integer.parseInt(name.substring("hidden_states.".length()));
            Parity.assertClose(name, io.floats(name), out.hiddenStates().get(layer));
          }
        }
        checked.add(name);
      }
    }
    assertEquals(7 + config.numHiddenLayers() + 1, checked.size(), checked.toString());
  }

  private static long[] longs(Tensor t) {
    Tensor c = t.contiguous();
    long[] out = new long[(int) c.numel()];
    c.data_ptr_long().get(out);
    return out;
  }
}
