package dev.vitrail.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the top-level {@code "model"} field of a JSON body without building the tree: the other
 * values are skipped (Jackson does not decode a skipped string), so a request can be routed to its
 * model before the model's parser reads the whole body.
 */
final class ModelField {
  private static final JsonFactory JSON = new JsonFactory();

  private ModelField() {}

  /**
   * The {@code model} string of {@code body}, or null when it has none.
   *
   * @throws ApiException {@link ErrorKind#MALFORMED_REQUEST} when the body is not a JSON object or
   *     {@code model} is not a string
   */
  static String of(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw JsonFields.malformed("body", "a JSON object", "something else");
      }
      String model = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("model") && value != JsonToken.VALUE_NULL) {
          if (value != JsonToken.VALUE_STRING) {
            throw JsonFields.malformed("model", "a string", p.getText());
          }
          model = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return model;
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ErrorKind.MALFORMED_REQUEST, "body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ApiException(ErrorKind.MALFORMED_REQUEST, "cannot read body: " + e.getMessage(), e);
    }
  }
}
