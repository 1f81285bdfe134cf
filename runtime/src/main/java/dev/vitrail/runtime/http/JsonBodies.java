package dev.vitrail.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/**
 * Reads a request body into a JSON tree with {@code mapper}'s settings (strictness included),
 * taking long plain strings straight from the body ({@link DirectStringParser}): a body with a
 * base64 image then holds about the body, one copy of the image's text and the decoded image, not
 * Jackson's character buffers besides (the memory budget's 4 x bodies term).
 */
final class JsonBodies {
  /**
   * Request bodies' mapper. Strict: trailing data after the object and duplicate keys are errors.
   * Strings may be as long as a body (Jackson's default cap of 20 million characters would refuse
   * images the byte limits allow; the body limit bounds them).
   */
  static final ObjectMapper STRICT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private JsonBodies() {}

  /** The tree of {@code body}; {@link MissingNode} for an empty body. */
  static JsonNode readTree(ObjectMapper mapper, byte[] body) throws IOException {
    try (DirectStringParser parser = new DirectStringParser(mapper.createParser(body), body)) {
      JsonNode root = mapper.readTree(parser);
      return root == null ? MissingNode.getInstance() : root;
    }
  }
}
