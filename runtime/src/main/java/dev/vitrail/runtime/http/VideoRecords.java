package dev.vitrail.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.safetensors.SafetensorsHeaderWriter;
import dev.vitrail.runtime.safetensors.TensorEntry;
import dev.vitrail.runtime.video.VideoFraming;
import dev.vitrail.runtime.video.VideoInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of a {@code POST /v1/video} answer, one per frame (or temporal patch), then one end
 * record, or an error record when the video fails after the answer began. As NDJSON: one JSON
 * object per line ({@code "object"} is {@code video.frame}, {@code video.end} or {@code error}, the
 * last with the error envelope's {@code {"message", "type", "code"}}). As a safetensors stream:
 * each record is an 8-byte little-endian length, then a whole safetensors file of that many bytes:
 * a frame record holds one F32 tensor named {@code frame_<index>} (or {@code
 * frames_<first>-<last>}) with the record's fields as {@code __metadata__}; end and error records
 * hold no tensor, only metadata.
 */
final class VideoRecords {
  private static final JsonFactory JSON = new JsonFactory();

  private VideoRecords() {}

  /** Which framing an answer uses. */
  enum Format {
    NDJSON,
    SAFETENSORS
  }

  /** The record of tower input {@code index} and its (already shaped) features. */
  static byte[] frame(
      Format format, int index, VideoInput in, FeatureOutput out, EncodingFormat encoding) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("object", "video.frame");
    fields.put("index", index);
    fields.put("name", VideoFraming.name(in));
    fields.put("first_frame", in.firstIndex());
    fields.put("last_frame", in.lastIndex());
    fields.put("timestamp_us", in.firstTimestampMicros());
    fields.put("end_timestamp_us", in.lastTimestampMicros());
    if (format == Format.SAFETENSORS) {
      Map<String, String> meta = strings(fields);
      meta.put("format", "pt");
      byte[] body =
          SafetensorsHeaderWriter.body(
              List.of(new TensorEntry(VideoFraming.name(in), out.shape())),
              List.of(out.values()),
              meta);
      return prefixed(body);
    }
    return line(fields, out, encoding);
  }

  /** The last record of a video that ended normally. */
  static byte[] end(Format format, String model, int records, long decoded, int declared) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("object", "video.end");
    fields.put("model", model);
    fields.put("records", records);
    fields.put("frames_decoded", decoded);
    fields.put("declared_frames", declared);
    if (declared > 0 && decoded < declared) {
      fields.put(
          "warning",
          "read " + decoded + " of about " + declared + " frames (truncated or damaged?)");
    }
    return record(format, fields);
  }

  /** The last record of a video that failed after its answer began. */
  static byte[] error(Format format, ApiException error, int records) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("object", "error");
    fields.put("message", error.getMessage());
    fields.put("type", error.kind().label());
    fields.put("code", error.kind().status());
    fields.put("records", records);
    if (format == Format.SAFETENSORS) {
      return record(format, fields);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("object", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("message", error.getMessage());
      g.writeStringField("type", error.kind().label());
      g.writeNumberField("code", error.kind().status());
      g.writeEndObject();
      g.writeNumberField("records", records);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static byte[] record(Format format, Map<String, Object> fields) {
    return format == Format.SAFETENSORS
        ? prefixed(SafetensorsHeaderWriter.body(List.of(), List.of(), strings(fields)))
        : line(fields, null, null);
  }

  private static Map<String, String> strings(Map<String, Object> fields) {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static byte[] prefixed(byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(body.length).put(body).array();
  }

  private static byte[] line(Map<String, Object> fields, FeatureOutput out, EncodingFormat format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        if (e.getValue() instanceof Number n) {
          g.writeNumberField(e.getKey(), n.longValue());
        } else {
          g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
        }
      }
      if (out != null) {
        EmbeddingsResponses.writeEmbedding(g, out, format);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }
}
