package dev.vitrail.runtime.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The inline content part: vLLM's image_embeds shape with torch.save payloads. */
class InlineEmbedsTest {
  /** The records of a torch.save archive, by name, in order (all stored uncompressed). */
  static Map<String, byte[]> records(byte[] archive) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
        out.put(e.getName(), zip.readAllBytes());
      }
    }
    return out;
  }

  private static byte[] concat(Object... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        b.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      } else {
        for (int x : (int[]) p) {
          b.write(x);
        }
      }
    }
    return b.toByteArray();
  }

  @Test
  void theTensorRecordIsRebuildTensorV2OverOneStorage() {
    byte[] want =
        concat(
            new int[] {0x80, 2},
            "ctorch._utils\n_rebuild_tensor_v2\n((X",
            new int[] {7, 0, 0, 0},
            "storagectorch\nBFloat16Storage\nX",
            new int[] {1, 0, 0, 0},
            "0X",
            new int[] {3, 0, 0, 0},
            "cpuK",
            new int[] {6},
            "tQK",
            new int[] {0},
            "(K",
            new int[] {2},
            "K",
            new int[] {3},
            "t(K",
            new int[] {3},
            "K",
            new int[] {1},
            "t",
            new int[] {0x89},
            "ccollections\nOrderedDict\n)RtR.");
    assertArrayEquals(want, TorchSave.pickle("BFloat16Storage", new long[] {2, 3}, 6));
    byte[] big = TorchSave.pickle("FloatStorage", new long[] {16384, 3584}, 16384L * 3584);
    String s = new String(big, StandardCharsets.ISO_8859_1);
    assertEquals(
        true, s.contains("J" + new String(le(16384L * 3584), StandardCharsets.ISO_8859_1)));
  }

  private static byte[] le(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
  }

  @Test
  void theContentPartHasVllmsShape() throws IOException {
    int tokens = 6;
    int hidden = 48;
    float[] embeds = EcStoreTest.values(tokens * hidden, 9);
    JsonNode part =
        InlineEmbeds.contentPart("k123", embeds, tokens, hidden, new int[] {1, 4, 6}, EcDtype.BF16);
    List<String> fields = new ArrayList<>();
    part.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("type", "image_embeds", "uuid"), fields);
    assertEquals("image_embeds", part.get("type").asText());
    assertEquals("k123", part.get("uuid").asText());
    JsonNode inner = part.get("image_embeds");
    List<String> innerFields = new ArrayList<>();
    inner.fieldNames().forEachRemaining(innerFields::add);
    assertEquals(List.of("image_embeds", "image_grid_thw"), innerFields);

    Map<String, byte[]> e = records(Base64.getDecoder().decode(inner.get("image_embeds").asText()));
    assertEquals(
        List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/version"),
        new ArrayList<>(e.keySet()));
    assertArrayEquals(EcDtype.BF16.encode(embeds), e.get("archive/data/0"));
    assertEquals("little", new String(e.get("archive/byteorder"), StandardCharsets.US_ASCII));
    assertEquals("3\n", new String(e.get("archive/version"), StandardCharsets.US_ASCII));
    assertArrayEquals(
        TorchSave.pickle("BFloat16Storage", new long[] {tokens, hidden}, tokens * hidden),
        e.get("archive/data.pkl"));

    Map<String, byte[]> g =
        records(Base64.getDecoder().decode(inner.get("image_grid_thw").asText()));
    ByteBuffer grid = ByteBuffer.wrap(g.get("archive/data/0")).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(24, grid.remaining());
    assertArrayEquals(
        new long[] {1, 4, 6}, new long[] {grid.getLong(), grid.getLong(), grid.getLong()});
    assertArrayEquals(
        TorchSave.pickle("LongStorage", new long[] {1, 3}, 3), g.get("archive/data.pkl"));
    assertEquals(tokens, 1 * 4 * 6 / 4, "rows = t*h*w / merge^2");
  }

  @Test
  void aMismatchedShapeIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> InlineEmbeds.contentPart("k", new float[5], 2, 3, new int[] {1, 2, 2}, EcDtype.BF16));
  }
}
