package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vitrail ec}: one JSON line and one encoder-cache file per image; bad input exits 1. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class EcCommandTest {
  @TempDir Path tmp;

  @Test
  void writesFilesAndInlinePartsAndNamesFailures() throws Exception {
    Path images = Files.createDirectories(tmp.resolve("in"));
    Files.write(images.resolve("a.png"), TestImages.png(60, 40, 1));
    Files.write(images.resolve("b.png"), TestImages.png(30, 90, 2));
    Files.writeString(images.resolve("broken.png"), "not an image");
    Path ec = tmp.resolve("ec");
    Path parts = tmp.resolve("parts.jsonl");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "ec",
            "--model",
            Fixtures.root().resolve("models/qwen2_5_vl-tiny").toString(),
            "--out",
            ec.toString(),
            "--inline",
            parts.toString(),
            "--metrics",
            tmp.resolve("ec.prom").toString(),
            images.toString());
    assertEquals(Main.SOME_FAILED, status, err.toString());
    assertTrue(err.toString().contains("failed: broken.png"), err.toString());
    List<String> lines = out.toString().lines().toList();
    assertEquals(2, lines.size(), out.toString());
    ObjectMapper mapper = new ObjectMapper();
    for (String line : lines) {
      JsonNode n = mapper.readTree(line);
      Path file = Path.of(n.get("ec_path").asText());
      assertEquals(ec.resolve(n.get("uuid").asText()).resolve("encoder_cache.safetensors"), file);
      assertTrue(Files.isRegularFile(file));
      assertEquals("bf16", n.get("dtype").asText());
    }
    List<String> inline = Files.readAllLines(parts);
    assertEquals(2, inline.size());
    assertEquals("image_embeds", mapper.readTree(inline.get(0)).get("type").asText());
    String prom = Files.readString(tmp.resolve("ec.prom"));
    assertTrue(prom.contains("\nvitrail_vlm_requests_total 3\n"), prom);
    assertTrue(prom.contains("\nvitrail_vlm_images_total 2\n"), prom);
    assertTrue(prom.contains("vitrail_vlm_errors_total{kind=\"invalid_image\"} 1\n"), prom);
    long tokens = 0;
    for (String line : lines) {
      tokens += mapper.readTree(line).get("num_tokens").asLong();
    }
    assertTrue(prom.contains("\nvitrail_vlm_tokens_written_total " + tokens + "\n"), prom);

    StringWriter none = new StringWriter();
    int usage =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(none, true),
            "ec",
            "--model",
            Fixtures.root().resolve("models/qwen2_5_vl-tiny").toString(),
            images.resolve("a.png").toString());
    assertEquals(Main.USAGE, usage);
    assertTrue(none.toString().contains("--out"), none.toString());
  }
}
