package dev.vitrail.encoders.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds processors and source images from the settings recorded in the fixture summaries. */
final class GoldenCases {
  private static final Pattern PIL_CODE = Pattern.compile("PIL (\\d+)");

  private GoldenCases() {}

  /** The decoded image of a fixture (the stored Pillow decode for JPEGs), in its own mode. */
  static DecodedImage decoded(JsonNode images, String image) throws IOException {
    JsonNode info = images.get(image);
    JsonNode stored = info.get("decoded_tensor");
    if (stored != null) {
      TestSafetensors st =
          TestSafetensors.open(Fixtures.preprocess().resolve(stored.get("file").textValue()));
      String name = stored.get("name").textValue();
      int[] shape = st.shape(name);
      return new DecodedImage(shape[1], shape[0], shape.length == 3 ? shape[2] : 1, st.bytes(name));
    }
    byte[] file = Fixtures.bytes(info.get("file").textValue());
    return new ImageDecoder(ImageDecoder.PILLOW_MAX_PIXELS, RgbConversion.DROP_ALPHA).decode(file);
  }

  static RgbConversion conversion(String variant) {
    return variant.equals("rgba_on_white")
        ? RgbConversion.COMPOSITE_ON_WHITE
        : RgbConversion.DROP_ALPHA;
  }

  static ImageProcessor processor(JsonNode p) {
    ImageDecoder decoder = ImageDecoder.servingDefaults();
    ResampleFilter filter = filter(p.path("resample").asText("PIL 3"));
    Normalization norm =
        new Normalization(
            true,
            factor(p.path("rescale_factor").asText("1/255")),
            true,
            doubles(p.get("image_mean")),
            doubles(p.get("image_std")));
    if (p.has("min_pixels")) {
      return new Qwen2VlProcessor(
          new Qwen2VlSettings(
              p.get("patch_size").intValue(),
              p.get("merge_size").intValue(),
              p.get("temporal_patch_size").intValue(),
              p.get("min_pixels").longValue(),
              p.get("max_pixels").longValue(),
              Qwen2VlSettings.DEFAULT_VIDEO_MIN_PIXELS,
              Qwen2VlSettings.DEFAULT_VIDEO_MAX_PIXELS,
              filter,
              norm),
          decoder);
    }
    JsonNode size = p.has("size") ? p.get("size") : p.get("resize");
    if (size.has("longest_edge")) {
      return new PixtralProcessor(
          new PixtralSettings(
              size.get("longest_edge").intValue(),
              p.get("patch_size").get("height").intValue(),
              p.get("patch_size").get("width").intValue(),
              filter,
              norm),
          decoder);
    }
    if (size.has("shortest_edge")) {
      JsonNode crop = p.get("center_crop");
      boolean doCrop = crop != null && !crop.isNull();
      int edge = size.get("shortest_edge").intValue();
      return new ClipProcessor(
          new ClipSettings(
              edge,
              doCrop,
              doCrop ? crop.get("height").intValue() : edge,
              doCrop ? crop.get("width").intValue() : edge,
              filter,
              norm),
          decoder);
    }
    return new SiglipProcessor(
        new SiglipSettings(
            size.get("height").intValue(), size.get("width").intValue(), filter, norm),
        decoder);
  }

  /**
   * Checks the uint8 image right before rescaling against the case's stored tensor (when the case
   * stores one) and its SHA-256 digest.
   */
  static void assertU8(JsonNode c, byte[] u8) throws IOException {
    JsonNode stored = c.path("stored_tensors");
    if (stored.has("u8")) {
      TestSafetensors st =
          TestSafetensors.open(
              Fixtures.preprocess().resolve(stored.get("u8").get("file").textValue()));
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          st.bytes(stored.get("u8").get("name").textValue()), u8, "stored u8");
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        c.get("u8_sha256").textValue(), Digests.sha256(u8), "u8 digest");
  }

  static double[] doubles(JsonNode arr) {
    double[] d = new double[arr.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = arr.get(i).doubleValue();
    }
    return d;
  }

  static int[] ints(JsonNode arr) {
    int[] d = new int[arr.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = arr.get(i).intValue();
    }
    return d;
  }

  private static ResampleFilter filter(String text) {
    Matcher m = PIL_CODE.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("no PIL code in resample " + text);
    }
    return ResampleFilter.fromPilCode(Integer.parseInt(m.group(1)));
  }

  private static double factor(String text) {
    String[] parts = text.split("/");
    return parts.length == 2
        ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
        : Double.parseDouble(text);
  }
}
