package dev.vitrail.runtime.video;

import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.RgbImage;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes a video file or stream (anything FFmpeg reads: MP4/H.264, AVI/MJPEG, ...) into sampled
 * RGB frames, in order, one at a time: memory stays bounded however long the video is. Not
 * thread-safe; close it to free the native decoder.
 */
public final class VideoDecoder implements Iterator<VideoFrame>, AutoCloseable {
  private final FFmpegFrameGrabber grabber;
  private final String source;
  private final FrameSampler.Selection selection;
  private long decoded;
  private VideoFrame next;
  private boolean finished;

  private VideoDecoder(FFmpegFrameGrabber grabber, String source, FrameSampler sampler) {
    this.grabber = grabber;
    this.source = source;
    this.selection = sampler.start();
  }

  /** Opens a video file. */
  public static VideoDecoder open(Path file, FrameSampler sampler) {
    if (!Files.isRegularFile(file)) {
      throw new VideoDecodeException("no video file at " + file);
    }
    return start(new FFmpegFrameGrabber(file.toFile()), file.toString(), sampler);
  }

  /** Opens a video stream (read sequentially; the caller closes the stream after this decoder). */
  public static VideoDecoder open(InputStream stream, String name, FrameSampler sampler) {
    return start(new FFmpegFrameGrabber(stream, 0), name, sampler);
  }

  private static VideoDecoder start(
      FFmpegFrameGrabber grabber, String source, FrameSampler sampler) {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
    try {
      grabber.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      releaseQuietly(grabber);
      throw new VideoDecodeException("cannot open video " + source + ": " + e.getMessage(), e);
    }
    if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
      releaseQuietly(grabber);
      throw new VideoDecodeException("video " + source + " has no decodable video stream");
    }
    return new VideoDecoder(grabber, source, sampler);
  }

  /** The remaining frames as a sequential stream; closing the stream closes this decoder. */
  public Stream<VideoFrame> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::close);
  }

  /** The container's frame rate, 0 when unknown. */
  public double frameRate() {
    return grabber.getVideoFrameRate();
  }

  /** Frames decoded so far, kept or not by the sampler. */
  public long framesDecoded() {
    return decoded;
  }

  /** The frame count the container declares (from its header or duration), 0 when unknown. */
  public int declaredFrames() {
    return Math.max(0, grabber.getLengthInFrames());
  }

  /** The video codec's FFmpeg name, e.g. {@code h264}. */
  public String codecName() {
    return grabber.getVideoCodecName();
  }

  /** Frame width in pixels. */
  public int width() {
    return grabber.getImageWidth();
  }

  /** Frame height in pixels. */
  public int height() {
    return grabber.getImageHeight();
  }

  @Override
  public boolean hasNext() {
    while (next == null && !finished) {
      Frame f = grab();
      if (f == null) {
        finished = true;
      } else if (selection.keep(f.timestamp)) {
        next = new VideoFrame(decoded - 1, f.timestamp, toRgb(f));
      }
    }
    return next != null;
  }

  @Override
  public VideoFrame next() {
    if (!hasNext()) {
      throw new NoSuchElementException("video " + source + " has no more frames");
    }
    VideoFrame f = next;
    next = null;
    return f;
  }

  private Frame grab() {
    try {
      Frame f = grabber.grabImage();
      if (f != null) {
        decoded++;
      }
      return f;
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new VideoDecodeException(
          "cannot decode frame " + decoded + " of video " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies an RGB24 frame out of FFmpeg's buffer row by row. javacv derives {@code imageChannels}
   * from the padded row stride (a 48-px-wide frame can read as "4 channels"), so the layout is
   * checked against the stride instead: the grabber was asked for RGB24.
   */
  private RgbImage toRgb(Frame f) {
    int w = f.imageWidth;
    int h = f.imageHeight;
    int row = w * 3;
    if (f.imageDepth != Frame.DEPTH_UBYTE || f.imageStride < row || f.image == null) {
      throw new VideoDecodeException(
          "video "
              + source
              + " gave a "
              + w
              + "x"
              + h
              + " frame of depth "
              + f.imageDepth
              + " and row stride "
              + f.imageStride
              + ", expected RGB24 with at least "
              + row
              + " bytes per row");
    }
    ByteBuffer buf = ((ByteBuffer) f.image[0]).duplicate();
    byte[] px = new byte[row * h];
    for (int y = 0; y < h; y++) {
      buf.position(y * f.imageStride);
      buf.get(px, y * row, row);
    }
    return new RgbImage(w, h, px);
  }

  @Override
  public void close() {
    releaseQuietly(grabber);
  }

  private static void releaseQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.release();
    } catch (FrameGrabber.Exception e) {
      // the native decoder is gone either way; nothing useful to report on close
    }
  }
}
