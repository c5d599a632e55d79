package facefarm.deploy.cli;

import facefarm.common.jobs.ChunkStatus;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.jobs.StageTimings;
import facefarm.common.planning.FrameRange;
import facefarm.common.planning.Keyframe;
import facefarm.deploy.stack.ChildProcess;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.worker.audio.AudioSamples;
import facefarm.worker.media.FfmpegLog;
import facefarm.worker.media.FrameReader;
import facefarm.worker.media.PacketProbe;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * ./farm benchmark --long: today's pipeline stages on a long 1080p clip (made from a short one, looped and scaled,
 * when none is given), as a studio runs it: the probe against a full decode, a real render on the embedded farm
 * (stack start included), the stitch against real time, intermediates against the output, target bytes each chunk
 * read against the file, the farm's efficiency, and a plain FFmpeg transcode of the same clip for comparison.
 */
final class LongBenchmark {
    private final PrintStream out;
    private final PrintStream err;
    private final FarmLayout layout;
    private final Path home;

    LongBenchmark(PrintStream out, PrintStream err, FarmLayout layout, Path home) {
        this.out = out;
        this.err = err;
        this.layout = layout;
        this.home = home;
    }

    void run(Path input, Path seed, int frames, int workers, int chunkFrames) {
        FfmpegLog.quiet();
        Path clip = input != null ? input : longClip(seed, frames);
        VideoInfo info;
        PacketProbe.Result packets = null;
        double packetSeconds = Double.MAX_VALUE;
        for (int run = 0; run < 2; run++) {
            // best of two: the first also loads FFmpeg's native libraries
            long t0 = System.nanoTime();
            packets = PacketProbe.probe(clip.toString(), null);
            packetSeconds = Math.min(packetSeconds, seconds(t0));
        }
        long t1 = System.nanoTime();
        info = VideoProbe.probe(clip);
        double decodeSeconds = seconds(t1);
        double videoSeconds = info.durationSeconds();
        long fileBytes = size(clip);
        err.println("farm: benchmark on " + clip.getFileName() + ": " + info.frames() + " frames, " + info.width() + "x" + info.height() + " at "
                + info.frameRate() + ", " + mb(fileBytes) + " MB, " + info.videoCodec() + (info.hasAudio() ? " with audio" : ""));
        double transcode = transcode(clip);

        long started = System.nanoTime();
        JobStatus job;
        List<ChunkStatus> chunks;
        double workerCpu = 0;
        try (LocalFarm farm = LocalFarm.start(layout, LocalFarm.Settings.defaults(home, workers), line -> err.println("farm: " + line))) {
            CoordinatorClient client = farm.client();
            InputFile target = new Uploader(client).upload(clip, done -> { });
            JobStatus submitted = client.submit(new JobSubmission(target, List.of(), null, new JobOptions(List.of("face_debugger"), chunkFrames, "mp4")));
            ProgressBar bar = new ProgressBar(err, System.console() != null);
            job = client.follow(submitted.id(), bar::update);
            bar.finish();
            if (job.state() != JobState.DONE) {
                throw new IllegalStateException("the benchmark job failed: " + job.error());
            }
            client.download(job.id(), home.resolve("bench/render.mp4"));
            chunks = client.chunks(job.id());
            for (ChildProcess worker : farm.workers()) {
                workerCpu += ProcessHandle.of(worker.pid()).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toMillis).orElse(0L) / 1e3;
            }
        }
        double wall = seconds(started);
        report(job, chunks, info, fileBytes, packets, packetSeconds, decodeSeconds, videoSeconds, transcode, wall, workers, workerCpu);
    }

    private void report(JobStatus job, List<ChunkStatus> chunks, VideoInfo info, long fileBytes, PacketProbe.Result packets, double packetSeconds,
                        double decodeSeconds, double videoSeconds, double transcode, double wall, int workers, double workerCpu) {
        StageTimings t = job.timings();
        double jobWall = Duration.between(job.createdAt(), job.finishedAt()).toMillis() / 1e3;
        double work = (t.decodeMs() + t.processMs() + t.encodeMs()) / 1e3;
        long maxRead = chunks.stream().mapToLong(ChunkStatus::bytesRead).max().orElse(0);
        double meanRead = chunks.stream().mapToLong(ChunkStatus::bytesRead).average().orElse(0);
        JobStatus.Sizes sizes = job.sizes();
        out.printf(Locale.ROOT, "probe: packets %.2f s (%s), full decode %.1f s: %.0fx faster%n", packetSeconds,
                packets.countedFromPackets() ? "counted from packets" : "fell back to decoding", decodeSeconds, decodeSeconds / packetSeconds);
        out.printf(Locale.ROOT, "stitch: %.2f s for %.1f s of video: %.0fx real time (stream copy, streamed into S3 as it is written)%n", t.stitchMs() / 1e3,
                videoSeconds, videoSeconds / Math.max(1e-3, t.stitchMs() / 1e3));
        out.printf(Locale.ROOT, "intermediates: %.1f MB of chunks for a %.1f MB output: %.2fx%n", mb(sizes.intermediates()), mb(sizes.output()),
                (double) sizes.intermediates() / Math.max(1, sizes.output()));
        out.printf(Locale.ROOT, "target read per chunk: %.1f MB on average, %.1f MB at most, of the %.1f MB file (%.2f); %.1f MB in all by %d chunks%n",
                mb((long) meanRead), mb(maxRead), mb(fileBytes), meanRead / fileBytes, mb(sizes.targetRead()), chunks.size());
        out.printf(Locale.ROOT, "farm efficiency: decode %.1f s + face work %.1f s + encode %.1f s = %.1f s over %.1f s x %d workers = %.2f"
                        + " (worker processes' CPU: %.1f s)%n", t.decodeMs() / 1e3, t.processMs() / 1e3, t.encodeMs() / 1e3, work, jobWall, workers,
                work / (jobWall * workers), workerCpu);
        out.printf(Locale.ROOT, "render: %.1f s wall for %d frames (stack start, upload and download included; %.1f frames/s); job %.1f s%n", wall,
                info.frames(), info.frames() / wall, jobWall);
        if (transcode > 0) {
            out.printf(Locale.ROOT, "ffmpeg transcode of the same clip: %.1f s; the render took %.1fx as long%n", transcode, wall / transcode);
        }
    }

    /** A plain transcode: Debian's ffmpeg with libx264 when installed, else the bundled one with libopenh264. */
    private double transcode(Path clip) {
        List<String> command = new ArrayList<>();
        String x264 = systemFfmpegWithX264();
        String binary = x264 != null ? x264 : org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        command.addAll(List.of(binary, "-y", "-loglevel", "error", "-i", clip.toString()));
        command.addAll(x264 != null ? List.of("-c:v", "libx264", "-preset", "veryfast") : List.of("-c:v", "libopenh264", "-b:v", "8M"));
        command.addAll(List.of("-threads", "2", "-c:a", "copy", home.resolve("bench/ffmpeg.mp4").toString()));
        err.println("farm: comparing with " + String.join(" ", command));
        long started = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                err.println("farm: the ffmpeg transcode failed: " + output.strip());
                return -1;
            }
        } catch (IOException e) {
            err.println("farm: cannot run ffmpeg: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        return seconds(started);
    }

    private static String systemFfmpegWithX264() {
        try {
            Process process = new ProcessBuilder("ffmpeg", "-hide_banner", "-encoders").redirectErrorStream(true).start();
            String encoders = new String(process.getInputStream().readAllBytes());
            return process.waitFor() == 0 && encoders.contains("libx264") ? "ffmpeg" : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The seed clip looped to {@code frames} frames, scaled into 1920x1080 (kept in $FARM_HOME/bench for the next run). */
    private Path longClip(Path seed, int frames) {
        Path clip = home.resolve("bench").resolve("long-1080p-" + frames + "-" + seed.getFileName().toString().replaceAll("\\.[^.]*$", "") + ".mp4");
        if (Files.isRegularFile(clip)) {
            return clip;
        }
        err.println("farm: making a " + frames + "-frame 1080p clip from " + seed.getFileName() + " (once; kept as " + clip + ")");
        VideoInfo info = VideoProbe.probe(seed);
        float[] sound = info.hasAudio() ? AudioSamples.read(seed).samples() : new float[0];
        Path partial = clip.resolveSibling(clip.getFileName() + ".part.mp4");
        try {
            Files.createDirectories(clip.getParent());
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(partial.toFile(), 1920, 1080, info.hasAudio() ? info.audioChannels() : 0)) {
                recorder.setFormat("mp4");
                recorder.setFrameRate((double) info.fpsNumerator() / info.fpsDenominator());
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setVideoBitrate(2_000_000);
                recorder.setGopSize(Math.max(1, 4 * info.fpsNumerator() / info.fpsDenominator()));
                recorder.setVideoOption("allow_skip_frames", "0");
                if (info.hasAudio()) {
                    recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                    recorder.setSampleRate(info.audioSampleRate());
                    recorder.setAudioChannels(info.audioChannels());
                    recorder.setAudioBitrate(128_000);
                }
                recorder.start();
                OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
                List<Mat> seedFrames = scaledFrames(seed, info);
                long samplesPerLoop = sound.length / Math.max(1, info.audioChannels());
                for (int i = 0; i < frames; i++) {
                    recorder.record(converter.convert(seedFrames.get(i % seedFrames.size())), avutil.AV_PIX_FMT_BGR24);
                    if (info.hasAudio() && samplesPerLoop > 0) {
                        long from = Math.round((double) i * info.audioSampleRate() * info.fpsDenominator() / info.fpsNumerator());
                        long to = Math.round((double) (i + 1) * info.audioSampleRate() * info.fpsDenominator() / info.fpsNumerator());
                        int channels = info.audioChannels();
                        float[] part = new float[(int) (to - from) * channels];
                        for (long k = from; k < to; k++) {
                            // the seed's audio looped sample by sample, so the long clip's sound lasts as long as its picture
                            System.arraycopy(sound, (int) (k % samplesPerLoop) * channels, part, (int) (k - from) * channels, channels);
                        }
                        recorder.recordSamples(info.audioSampleRate(), channels, (Buffer) FloatBuffer.wrap(part));
                    }
                }
                seedFrames.forEach(Mat::close);
                recorder.stop();
            }
            Files.move(partial, clip);
            return clip;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the benchmark clip: " + e.getMessage(), e);
        }
    }

    private static List<Mat> scaledFrames(Path seed, VideoInfo info) {
        List<Mat> frames = new ArrayList<>();
        int side = 1080;
        int width = (int) Math.round((double) info.width() * side / info.height());
        try (FrameReader reader = new FrameReader(seed, new FrameRange(0, info.frames()), Keyframe.FIRST)) {
            for (FrameReader.IndexedFrame frame; (frame = reader.next()) != null; ) {
                Mat scaled = new Mat();
                opencv_imgproc.resize(frame.image(), scaled, new Size(Math.min(1920, width), side));
                Mat canvas = new Mat();
                int left = (1920 - scaled.cols()) / 2;
                opencv_core.copyMakeBorder(scaled, canvas, 0, 0, left, 1920 - scaled.cols() - left, opencv_core.BORDER_CONSTANT, new Scalar(0, 0, 0, 0));
                frames.add(canvas);
                scaled.close();
                frame.image().close();
            }
        }
        return frames;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }
}
