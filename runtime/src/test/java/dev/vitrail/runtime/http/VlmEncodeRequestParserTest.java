package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.vlm.EcDtype;
import dev.vitrail.runtime.vlm.InlineFormat;
import dev.vitrail.runtime.vlm.VlmOutput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@code /v1/vlm/encode} body: defaults, its own fields, and the embeddings parser's rules. */
class VlmEncodeRequestParserTest {
  private static final String IMAGE =
      "\"" + Base64.getEncoder().encodeToString(TestImages.png(4, 4, 1)) + "\"";

  private static VlmEncodeRequestParser parser(boolean storage) {
    return new VlmEncodeRequestParser(
        new EmbeddingsRequestParser(1 << 20, 4, 4), storage, EcDtype.BF16);
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ApiException refused(VlmEncodeRequestParser p, String body) {
    return assertThrows(ApiException.class, () -> p.parse(json(body)));
  }

  @Test
  void defaultsFollowTheStorageAndFieldsOverrideThem() {
    VlmEncodeRequest ec = parser(true).parse(json("{\"input\": [" + IMAGE + "]}"));
    assertEquals(VlmOutput.EC, ec.output());
    assertEquals(EcDtype.BF16, ec.dtype());
    assertEquals(1, ec.images().images().size());
    assertEquals(
        VlmOutput.INLINE, parser(false).parse(json("{\"input\": " + IMAGE + "}")).output());
    VlmEncodeRequest both =
        parser(true)
            .parse(
                json(
                    "{\"model\": \"m\", \"input\": "
                        + IMAGE
                        + ", \"output\": \"both\", \"dtype\": \"f16\"}"));
    assertEquals(VlmOutput.BOTH, both.output());
    assertEquals(EcDtype.F16, both.dtype());
    assertEquals("m", both.images().model());
  }

  @Test
  void badFieldsAreMalformedAndNameTheProblem() {
    ApiException noStorage =
        refused(parser(false), "{\"input\": " + IMAGE + ", \"output\": \"ec\"}");
    assertTrue(noStorage.getMessage().contains("vitrail.vlm.ec-storage"), noStorage.getMessage());
    assertEquals(ErrorKind.MALFORMED_REQUEST, noStorage.kind());
    assertTrue(
        refused(parser(true), "{\"input\": " + IMAGE + ", \"dtype\": \"f8\"}")
            .getMessage()
            .contains("dtype"));
    assertTrue(
        refused(parser(true), "{\"input\": " + IMAGE + ", \"select_layers\": [-2]}")
            .getMessage()
            .contains("select_layers"));
    assertTrue(
        refused(parser(true), "{\"input\": " + IMAGE + ", \"colour\": 1}")
            .getMessage()
            .contains("unknown field"));
    assertEquals(ErrorKind.MALFORMED_REQUEST, refused(parser(true), "[1, 2]").kind());
    assertEquals(ErrorKind.MALFORMED_REQUEST, refused(parser(true), "{not json").kind());
    assertEquals(
        ErrorKind.BODY_TOO_LARGE,
        refused(
                parser(true),
                "{\"input\": [" + String.join(",", IMAGE, IMAGE, IMAGE, IMAGE, IMAGE) + "]}")
            .kind());
  }

  @Test
  void formatAndAFamilyWithoutInlineEmbeds() {
    VlmEncodeRequest npy =
        parser(true)
            .parse(
                json(
                    "{\"input\": "
                        + IMAGE
                        + ", \"output\": \"inline\", \"dtype\": \"f16\", \"format\": \"npy\"}"));
    assertEquals(InlineFormat.NPY, npy.format());
    assertEquals(
        InlineFormat.TORCH, parser(true).parse(json("{\"input\": " + IMAGE + "}")).format());
    assertTrue(
        refused(
                parser(true),
                "{\"input\": " + IMAGE + ", \"output\": \"inline\", \"format\": \"npy\"}")
            .getMessage()
            .contains("bfloat16"));
    VlmEncodeRequestParser pixtral =
        new VlmEncodeRequestParser(
            new EmbeddingsRequestParser(1 << 20, 4, 4), true, "no inline here", EcDtype.BF16);
    assertEquals(VlmOutput.EC, pixtral.parse(json("{\"input\": " + IMAGE + "}")).output());
    ApiException inline = refused(pixtral, "{\"input\": " + IMAGE + ", \"output\": \"both\"}");
    assertTrue(inline.getMessage().contains("no inline here"), inline.getMessage());
    assertEquals(ErrorKind.MALFORMED_REQUEST, inline.kind());
  }
}
