package dev.vitrail.runtime.http;

import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.runtime.video.VideoDecodeException;
import dev.vitrail.runtime.video.VideoDecoder;
import dev.vitrail.runtime.video.VideoInput;
import dev.vitrail.runtime.video.VideoInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An uploaded video being decoded: its temporary file, the FFmpeg decoder and the tower inputs made
 * from its frames. Batches are taken one at a time (on the decoding pool) with the frames' pixels
 * reserved from the decode budget; {@link #close()} may come from another thread (a client that
 * went away): the decoder is freed when no batch is being decoded, and nothing is decoded after it.
 * Closing frees the native decoder and deletes the file.
 */
final class OpenVideo implements AutoCloseable {
  private final Path file;
  private final VideoDecoder decoder;
  private final VideoInputs inputs;
  private final AdmissionGate gate;
  private final long pixelsPerInput;
  private final Duration wait;
  private final int declaredFrames;
  private boolean closed;
  private boolean decoding;

  private OpenVideo(
      Path file,
      VideoDecoder decoder,
      ImageProcessor processor,
      int framesPerInput,
      AdmissionGate gate,
      Duration wait) {
    this.file = file;
    this.decoder = decoder;
    this.inputs = new VideoInputs(decoder, processor, framesPerInput);
    this.gate = gate;
    this.pixelsPerInput = (long) decoder.width() * decoder.height() * framesPerInput;
    this.wait = wait;
    this.declaredFrames = decoder.declaredFrames();
  }

  /**
   * Opens the video in {@code file} (deleting the file when it cannot be opened): an undecodable
   * video is {@link ErrorKind#INVALID_VIDEO}, frames over {@code maxPixels} {@link
   * ErrorKind#IMAGE_TOO_LARGE}.
   */
  static OpenVideo open(
      Path file,
      FrameSampler sampler,
      ImageProcessor processor,
      int framesPerInput,
      AdmissionGate gate,
      Duration wait) {
    VideoDecoder decoder = null;
    try {
      decoder = VideoDecoder.open(file, sampler);
      long pixels = (long) decoder.width() * decoder.height();
      long max = gate.limits().maxImagePixels();
      if (pixels > max) {
        throw new ApiException(
            ErrorKind.IMAGE_TOO_LARGE,
            "video frames are "
                + decoder.width()
                + "x"
                + decoder.height()
                + " = "
                + pixels
                + " pixels; the limit is vitrail.http.admission.max-image-pixels = "
                + max);
      }
      return new OpenVideo(file, decoder, processor, framesPerInput, gate, wait);
    } catch (VideoDecodeException e) {
      if (decoder != null) {
        decoder.close();
      }
      delete(file);
      throw new ApiException(ErrorKind.INVALID_VIDEO, clientMessage(e.getMessage(), file), e);
    } catch (RuntimeException e) {
      if (decoder != null) {
        decoder.close();
      }
      delete(file);
      throw e;
    }
  }

  /**
   * Up to {@code n} more tower inputs, in order; empty at the end of the video (or once closed).
   */
  List<VideoInput> next(int n) throws InterruptedException {
    List<VideoInput> out = new ArrayList<>(n);
    synchronized (this) {
      if (closed) {
        return out;
      }
      decoding = true;
    }
    try (AdmissionGate.Reservation reserved = gate.acquirePixels(pixelsPerInput, wait)) {
      if (reserved == null) {
        throw new ApiException(
            ErrorKind.BUSY, "no decoding budget for the next video frames within the timeout");
      }
      while (out.size() < n && inputs.hasNext()) {
        out.add(inputs.next());
      }
    } catch (VideoDecodeException e) {
      throw new ApiException(ErrorKind.INVALID_VIDEO, clientMessage(e.getMessage(), file), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // e.g. frames that change size within one temporal patch
      throw new ApiException(ErrorKind.INVALID_VIDEO, "cannot use the video: " + e.getMessage(), e);
    } finally {
      boolean release;
      synchronized (this) {
        decoding = false;
        release = closed;
      }
      if (release) {
        release();
      }
    }
    return out;
  }

  /** Frames decoded so far (kept by the sampler or not). */
  synchronized long framesDecoded() {
    return decoder.framesDecoded();
  }

  /** The frame count the container declares, 0 when unknown. */
  int declaredFrames() {
    return declaredFrames;
  }

  /**
   * Stops decoding and frees the decoder and file: now, or when the batch being decoded on another
   * thread ends (never blocks).
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (decoding) {
        return;
      }
    }
    release();
  }

  private void release() {
    decoder.close();
    delete(file);
  }

  /**
   * FFmpeg's message without the server's temporary path and javacv's hints to the programmer ("Has
   * setFormat() been called?").
   */
  static String clientMessage(String message, Path file) {
    String m =
        message.replace("\"" + file + "\"", "the upload").replace(file.toString(), "the upload");
    int hint = m.indexOf(". (");
    return hint > 0 ? m.substring(0, hint + 1) : m;
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file left behind is not worth failing an answer for; the OS cleans tmp
    }
  }
}
