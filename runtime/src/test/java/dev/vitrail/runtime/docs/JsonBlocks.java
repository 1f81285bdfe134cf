package dev.vitrail.runtime.docs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The check of a {@code json} block of the docs: strict JSON (no comments, no trailing commas, no
 * elisions such as {@code ...}), one document or several in a row (an NDJSON stream), each an
 * object or an array.
 */
final class JsonBlocks {
  private static final ObjectMapper STRICT =
      JsonMapper.builder().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE).build();

  private JsonBlocks() {}

  /** Null when {@code b}'s text is valid JSON as above, else what is wrong, with the line. */
  static String problem(DocBlock b) {
    String text = String.join("\n", b.lines());
    int documents = 0;
    try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode node = it.nextValue();
        if (!node.isContainerNode()) {
          return b.where() + ": a json block holds objects or arrays, found " + node.getNodeType();
        }
        documents++;
      }
    } catch (JsonProcessingException e) {
      int line = b.line() + e.getLocation().getLineNr();
      return b.page()
          + ":"
          + line
          + ": invalid JSON ("
          + e.getOriginalMessage()
          + "); write it out in full or mark the block docs-test: no-run (why it is partial)";
    } catch (IOException e) {
      return b.where() + ": " + e;
    }
    return documents == 0 ? b.where() + ": an empty json block" : null;
  }
}
