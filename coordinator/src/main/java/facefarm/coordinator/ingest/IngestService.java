package facefarm.coordinator.ingest;

import facefarm.common.jobs.AudioFit;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.StageTimings;
import facefarm.common.planning.ChunkPlan;
import facefarm.common.planning.ChunkPlanner;
import facefarm.common.planning.Overlap;
import facefarm.common.storage.ObjectKeys;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.jobs.JobRow;
import facefarm.coordinator.jobs.JobService;
import facefarm.coordinator.messaging.FarmPublisher;
import facefarm.common.jobs.JobAnalysis;
import facefarm.worker.analysis.AnalysisSettings;
import facefarm.worker.audio.AudioInfo;
import facefarm.worker.media.MediaException;
import facefarm.worker.media.VideoInfo;
import facefarm.worker.media.VideoProbe;
import facefarm.worker.processors.ProcessorRegistry;
import facefarm.worker.tracking.TrackSettings;
import facefarm.worker.processors.ProcessorSettings;
import facefarm.worker.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns an upload into a running job: check options, probe the video, load the job's face analysis, check the
 * source faces and find the reference face — all before anything is stored — then store the inputs, plan and persist
 * the chunks, and offer them. A failure after storing starts removes what was stored, so nothing is left half-written.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);

    @Inject
    FarmConfig config;

    @Inject
    ObjectStore objects;

    @Inject
    JobService jobs;

    @Inject
    FarmPublisher publisher;

    @Inject
    FaceChecks faceChecks;

    public record Upload(Path file, String name) {
    }

    public UUID submit(Upload target, List<Upload> sources, JobOptions options) {
        return submit(target, sources, null, options);
    }

    /** @param audio new audio for the output (dubbing, talking heads), or null to keep the target's own */
    public UUID submit(Upload target, List<Upload> sources, Upload audio, JobOptions options) {
        JobOptions opts = options == null ? new JobOptions(null, null, null) : options;
        List<String> problems = new ArrayList<>(opts.problems(ProcessorRegistry.KNOWN));
        problems.addAll(AnalysisSettings.problems(opts.analysis()));
        problems.addAll(ProcessorSettings.problems(opts.processorOptions()));
        if (!problems.isEmpty()) {
            throw new BadInputException(400, String.join("; ", problems));
        }
        if (target == null) {
            throw new BadInputException(400, "the 'target' part (the video to process) is missing");
        }
        if (audio == null && opts.audioFit() != null) {
            throw new BadInputException(400, "audioFit applies to a job with new audio: add an 'audio' part, or leave audioFit out");
        }
        int chunkFrames = opts.chunkFrames() == null ? config.chunkFrames() : opts.chunkFrames();
        String outputFormat = opts.outputFormat() == null ? "mp4" : opts.outputFormat();

        long probeStart = System.nanoTime();
        VideoInfo video;
        try {
            video = VideoProbe.probe(target.file());
        } catch (MediaException e) {
            throw new BadInputException(400, "target '" + target.name() + "': " + e.getMessage(), e);
        }
        Timeline timeline = timeline(target, audio, opts, video);
        long probeMs = (System.nanoTime() - probeStart) / 1_000_000L;
        FaceChecks.Prepared prepared = faceChecks.prepare(opts.analysis(), opts.processors() != null ? opts.processors()
                : config.defaultProcessors().orElse(null), opts.processorOptions(), target, video, sources, audio != null);
        JobAnalysis analysis = prepared.analysis();
        List<String> processors = prepared.processors();
        // the tracks read their window of frames, and the processors' own state reads around what the tracks give them
        Overlap overlap = TrackSettings.of(analysis.options().smoothingWindow()).overlap().plus(ProcessorRegistry.overlap(processors));
        int warmup = overlap.past();
        int lookahead = overlap.future();
        List<ChunkPlan> plans = ChunkPlanner.plan(timeline.frames(), chunkFrames, warmup, lookahead, video.keyframes());

        UUID id = UUID.randomUUID();
        String jobId = id.toString();
        JobService.Followup followup;
        try {
            String targetKey = ObjectKeys.target(jobId, target.name());
            objects.upload(target.file(), targetKey);
            List<String> sourceKeys = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                String key = ObjectKeys.source(jobId, i, sources.get(i).name());
                objects.upload(sources.get(i).file(), key);
                sourceKeys.add(key);
            }
            String audioKey = null;
            if (audio != null) {
                audioKey = ObjectKeys.audio(jobId, audio.name());
                objects.upload(audio.file(), audioKey);
            }
            JobRow job = new JobRow(id, JobState.RUNNING, target.name(), targetKey, sourceKeys, processors, outputFormat, timeline.frames(),
                    timeline.fps()[0], timeline.fps()[1], video.width(), video.height(), video.videoCodec(), audio != null || video.hasAudio(),
                    chunkFrames, warmup, lookahead, analysis, null, null, StageTimings.ZERO.withProbeMs(probeMs), null, null, null,
                    audioKey, video.frames());
            followup = jobs.create(job, plans);
        } catch (RuntimeException e) {
            try {
                objects.deletePrefix(ObjectKeys.jobPrefix(jobId));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.infof("job=%s target=%s frames=%d (target %d) rate=%d/%d size=%dx%d audio=%s chunks=%d processors=%s models=%s", jobId, target.name(),
                timeline.frames(), video.frames(), timeline.fps()[0], timeline.fps()[1], audio == null ? "target's" : audio.name(), video.width(),
                video.height(), plans.size(), processors, analysis.models().stream().map(m -> m.id()).toList());
        try {
            followup.offers().forEach(publisher::offer);
        } catch (RuntimeException e) {
            // the job is stored: the scheduler offers again what did not reach Kafka
            LOG.warnf("job=%s: offering chunks failed (%s); they will be offered again after farm.offer-timeout", jobId, e.getMessage());
        }
        return id;
    }

    /** The output's frame count and rate: the target's, or reconciled with new audio by the job's rule. */
    record Timeline(long frames, int[] fps) {
    }

    static Timeline timeline(Upload target, Upload audio, JobOptions opts, VideoInfo video) {
        boolean still = video.frames() == 1;
        if (opts.fps() != null && !still) {
            throw new BadInputException(400, "fps sets the frame rate of a video made from a still image; target '" + target.name()
                    + "' is a video (" + video.frameRate() + " fps): leave fps out");
        }
        int[] fps = still ? JobOptions.rational(opts.fps() != null ? opts.fps() : JobOptions.DEFAULT_STILL_FPS)
                : new int[] {video.fpsNumerator(), video.fpsDenominator()};
        if (audio == null) {
            return new Timeline(video.frames(), fps);
        }
        AudioInfo sound;
        try {
            sound = AudioInfo.probe(audio.file());
        } catch (MediaException e) {
            throw new BadInputException(400, "audio '" + audio.name() + "': " + e.getMessage(), e);
        }
        AudioFit fit = opts.audioFit() != null ? AudioFit.byName(opts.audioFit()) : still ? AudioFit.EXTEND : AudioFit.PAD;
        long audioFrames = AudioFit.framesOf(sound.samples(), sound.sampleRate(), fps[0], fps[1]);
        return new Timeline(Math.max(1, fit.outputFrames(video.frames(), audioFrames)), fps);
    }
}
