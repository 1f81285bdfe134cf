package dev.vitrail.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The large-message stream is added to a node's config without overriding the user's choice. */
class LargeMessagesTest {
  private static final String DESTINATIONS = "pekko.remote.artery.large-message-destinations";
  private static final String FRAME = "pekko.remote.artery.advanced.maximum-large-frame-size";

  @Test
  void defaultsGainTheWorkerPathsAndALargeFrame() {
    Config c = LargeMessages.enable(ConfigFactory.load());
    assertEquals(List.of("/user/*", "/user/*/*"), c.getStringList(DESTINATIONS));
    assertEquals(LargeMessages.MAX_FRAME_BYTES, c.getBytes(FRAME));
  }

  @Test
  void ownDestinationsAndLargerFramesStay() {
    Config c =
        LargeMessages.enable(
            ConfigFactory.parseString(DESTINATIONS + " = [\"/user/mine\"]\n" + FRAME + " = 256MiB")
                .withFallback(ConfigFactory.load()));
    assertEquals(List.of("/user/mine"), c.getStringList(DESTINATIONS));
    assertEquals(256L << 20, c.getBytes(FRAME));
  }
}
