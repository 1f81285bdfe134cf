package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import dev.vitrail.runtime.video.VideoInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record framing of {@code POST /v1/video} answers, including the error record. */
class VideoRecordsTest {
  private final VideoInput patch =
      new VideoInput(
          12, 13, 400_000, 433_333, 2, new PixelInput(new float[3], new int[] {3}, null));
  private final FeatureOutput out = new FeatureOutput(new float[] {1.5f, -2f}, new int[] {1, 2});

  @Test
  void ndjsonFrameEndAndErrorLines() throws Exception {
    byte[] frame =
        VideoRecords.frame(VideoRecords.Format.NDJSON, 3, patch, out, EncodingFormat.BASE64);
    assertEquals('\n', frame[frame.length - 1]);
    JsonNode f = HttpCalls.MAPPER.readTree(frame);
    assertEquals("frames_000012-000013", f.get("name").asText());
    assertEquals(3, f.get("index").asInt());
    assertEquals(400_000, f.get("timestamp_us").asLong());
    assertEquals(433_333, f.get("end_timestamp_us").asLong());
    byte[] raw = Base64.getDecoder().decode(f.get("embedding").asText());
    assertEquals(-2f, ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat(4));

    JsonNode end =
        HttpCalls.MAPPER.readTree(VideoRecords.end(VideoRecords.Format.NDJSON, "m", 4, 16, 21));
    assertEquals("video.end", end.get("object").asText());
    assertTrue(end.get("warning").asText().contains("read 16 of about 21"));

    JsonNode error =
        HttpCalls.MAPPER.readTree(
            VideoRecords.error(
                VideoRecords.Format.NDJSON,
                new ApiException(ErrorKind.INVALID_VIDEO, "cannot decode frame 40"),
                7));
    assertEquals("error", error.get("object").asText());
    assertEquals("invalid_video", error.get("error").get("type").asText());
    assertEquals(422, error.get("error").get("code").asInt());
    assertEquals(7, error.get("records").asInt());
  }

  @Test
  void safetensorsRecordsAreLengthPrefixedWholeFiles() {
    byte[] frame =
        VideoRecords.frame(VideoRecords.Format.SAFETENSORS, 0, patch, out, EncodingFormat.FLOAT);
    ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    long n = b.getLong();
    assertEquals(frame.length - 8, n);
    ByteBuffer file = b.slice().order(ByteOrder.LITTLE_ENDIAN);
    SafetensorsHeader h = SafetensorsHeader.parse(file.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    h.requireFileSize(n);
    assertArrayEquals(new long[] {1, 2}, h.entry("frames_000012-000013").shape());
    assertEquals("400000", h.metadata().get("timestamp_us"));

    byte[] error =
        VideoRecords.error(
            VideoRecords.Format.SAFETENSORS, new ApiException(ErrorKind.BUSY, "busy"), 2);
    ByteBuffer e = ByteBuffer.wrap(error).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(error.length - 8, e.getLong());
    SafetensorsHeader eh = SafetensorsHeader.parse(e.slice().order(ByteOrder.LITTLE_ENDIAN));
    assertEquals(List.of(), List.copyOf(eh.entries().keySet()));
    Map<String, String> meta = eh.metadata();
    assertEquals("error", meta.get("object"));
    assertEquals("busy", meta.get("type"));
    assertEquals("503", meta.get("code"));
  }
}
