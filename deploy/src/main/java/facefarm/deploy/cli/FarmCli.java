package facefarm.deploy.cli;

import facefarm.common.jobs.AnalysisOptions;
import facefarm.common.jobs.InputFile;
import facefarm.common.jobs.JobOptions;
import facefarm.common.jobs.JobState;
import facefarm.common.jobs.JobStatus;
import facefarm.common.jobs.JobSubmission;
import facefarm.common.jobs.ProcessorOptions;
import facefarm.common.jobs.Scheduling;
import facefarm.common.jobs.StageTimings;
import facefarm.common.messaging.Messages;
import facefarm.common.messaging.ProvenanceCheck;
import facefarm.common.provenance.Consent;
import facefarm.common.provenance.ProvenanceCheckRequest;
import facefarm.common.provenance.VisibleLabel;
import facefarm.deploy.stack.ChildProcess;
import facefarm.deploy.stack.FarmLayout;
import facefarm.deploy.stack.LocalFarm;
import facefarm.deploy.stack.LocalToken;
import facefarm.models.ModelStore;
import facefarm.worker.media.MediaException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** ./farm: render a video on an embedded farm, or run one in the background for API use. */
public final class FarmCli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final String USAGE_TEXT = """
            usage:
              ./farm render --target VIDEO|IMAGE [--source IMAGE ...] [--audio FILE] --output FILE.mp4|FILE.mkv [--api URL]
                            [--processors LIST] [--chunk-frames N] [--workers N] [ANALYSIS] [PROCESSING]
                            [--audio-fit pad|trim|extend] [--fps 25] [--video-bitrate 20M] [--accept-license NAME ...]
                            [--priority 0..100] [--require TAG,...] [--webhook URL] [--consent ID[@DOCUMENT] ...]
                            [--label TEXT [--label-position bottom-right] [--label-opacity 0.8]] [--still FRAME]
                                           --source: the face to put on the target (needed by the swappers)
                                           --priority: higher runs first (default 50); --require: worker tags
                                             the job needs (pool=studio-a, gpu=a100, model=inswapper_128);
                                             --webhook: where the job's end is posted (a host the farm allows)
                                           --api: render on a deployed farm (Compose, Kubernetes) at URL, with
                                             the token in FARM_TOKEN, instead of the embedded one
                                           --consent: the release of each --source's face, in order: the
                                             studio's reference, and the signed document the farm keeps with the
                                             job (a farm may require one per source)
                                           --label: a visible label on every frame (a farm may add its own);
                                             position top-left|top-right|bottom-left|bottom-right
                                           --video-bitrate: H.264 bitrate of an .mp4 (default: 0.3 bits per
                                             pixel per frame, about 19M at 1080p30); .mkv is lossless FFV1
                                           --audio: dub the target: lip-sync it to this voice, deliver it with it;
                                             with a still-image target, a talking head as long as the audio
                                           --audio-fit: when video and audio differ in length, keep every video
                                             frame (pad, the default for a video), stop at the shorter (trim), or
                                             last as long as the audio, holding the last frame (extend, for an image)
                                           --fps: frame rate of a video made from a still image (default 25)
                                           --still: also write FRAME of the target and of the render side by
                                             side, beside the output (out.mp4 -> out.before-after-FRAME.png)
              ./farm still --target VIDEO|IMAGE --render VIDEO --frame N [--output FILE.png]
                                           the same still for a render made before
              ./farm analyse --input IMAGE|VIDEO [--detector NAME] [--landmarker NAME] [--embedding] [--json OUT]
                            [--face-map FRAME:POSITION=NAME|PHOTO=NAME ...]
                            [ANALYSIS] [--accept-license NAME ...]
              ./farm benchmark --input VIDEO [--frames 64] [--source IMAGE] [--accept-license NAME ...]
                                           frames/s of each analysis model here, one per run and batched;
                                           with --source, of each swap processor per worker too
              ./farm benchmark --long [--input VIDEO | --seed VIDEO] [--frames 7546] [--workers 2] [--chunk-frames 250]
                                           the farm's stages on a long 1080p clip (default: face_4.mp4 looped and
                                           scaled): probe, stitch, intermediates, bytes read per chunk, efficiency,
                                           and the render's wall time against a plain ffmpeg transcode
              ./farm up [--workers N] [--accept-license NAME ...]
                                           start the farm in the background (state in $FARM_HOME, default .farm/)
              ./farm status [JOB]          jobs and workers of the running farm, or one job
              ./farm cancel|pause|resume JOB [--api URL]
                                           cancel: stop a job (its running chunks stop within seconds, it ends
                                             CANCELLED, its chunks are deleted); pause: running chunks finish,
                                             nothing new starts; resume; each prints the job's history
              ./farm retry JOB [--chunk K] [--api URL]
                                           render a FAILED or CANCELLED job's missing chunks again, or one chunk
                                             (--chunk) of a running job
              ./farm priority JOB N [--api URL]
                                           change a job's priority (0..100, higher first)
              ./farm drain|release WORKER [--api URL]
                                           drain: the worker finishes its chunk and takes no more; release: back
                                             into service (also ends a quarantine)
              ./farm down [--purge]        stop the background farm; its jobs, objects and topics are kept for the
                                           next ./farm up unless --purge (the supervisor restarts any part that dies
                                           while it runs; ./farm status shows the restarts)
              ./farm token                 print the farm's operator token ($FARM_HOME/token, made on first use)
              ./farm token create --name NAME [--tenant T] [--role submitter|viewer|operator]
              ./farm token list | revoke NAME
                                           manage API tokens (the running farm, or --api URL with FARM_TOKEN)
              ./farm provenance FILE [--frames 48] [--on-farm] [--api URL]
                                           read the farm's invisible watermark from a video (through re-encoding,
                                             scaling and small crops): its payload and bit error rate, and what the
                                             running farm (or --api URL, token in FARM_TOKEN) knows of its job; and
                                             check its Content Credentials (inside it, or FILE's .c2pa sidecar).
                                             --on-farm: upload it and let one of the farm's workers read it
              ./farm dead-letters [--replay] [--kafka HOST:PORT]
                                           list the records nobody could process, with why; --replay sends each
                                           one not replayed before back to its topic (default: the running farm)

            ANALYSIS (FaceFusion's options; defaults: FaceFusion's where its models are installed, else yunet,
            no 68-point landmarker, every face):
              --face-detector-model yunet|scrfd|retinaface|yolo_face|many (--detector)   --face-detector-size 640
              --face-detector-score 0.5   --face-detector-margin T,R,B,L (percent)   --face-detector-angles 0,90,180,270
              --face-landmarker-model 2dfan4|peppa_wutz|many|none (--landmarker)   --face-landmarker-score 0.5
              --face-selector-mode reference|one|many   --face-selector-order large-small|left-right|...|best-worst
              --reference-frame-number 0   --reference-face-position 0   --reference-face-distance 0.3
              --smoothing-window 3   frames each side over which face tracks are smoothed, detection gaps filled and
                reference matches held (the farm's own; 0 = FaceFusion's frame by frame; analyse: 0 unless given)
              --face-map FRAME:POSITION=SOURCE or PHOTO=SOURCE (repeatable; the farm's own): one source per person. The
                person is face POSITION (from 0, in the selector order) of frame FRAME, or the largest face of PHOTO;
                SOURCE is an image file or a --source number.
                Only mapped people are processed; matching uses the face recogniser and --reference-face-distance.
                analyse: reports which track matched which entry (SOURCE is then only a name)

            PROCESSING (FaceFusion's options; lists are comma-separated):
              --processors face_swapper,face_enhancer,mesh_swapper,lip_syncer,face_debugger   (default: face_swapper
                and face_enhancer when their weights are installed and licensed, else the open mesh_swapper; with
                --audio, lip_syncer after them, or alone when no --source is given)
              --face-swapper-model hyperswap_1a_256|inswapper_128|...   --face-swapper-pixel-boost 512x512
              --face-swapper-weight 0.5   --face-enhancer-model gfpgan_1.4|codeformer|...   --face-enhancer-blend 80
              --face-enhancer-weight 0.5   --face-mask-types box,occlusion,area,region   --face-mask-blur 0.3
              --face-mask-padding T,R,B,L   --face-mask-areas upper-face,lower-face,mouth   --face-mask-regions skin,nose,...
              --face-occluder-model xseg_1|xseg_2|xseg_3   --face-parser-model bisenet_resnet_18|bisenet_resnet_34
              --mesh-swapper-blend feathered|seamless
              --lip-syncer-model wav2lip_gan_96|wav2lip_96|edtalk_256   --lip-syncer-weight 0.5
              --voice-extractor-model kim_vocal_2|kim_vocal_1|uvr_mdxnet|none   (default: the first installed and
                licensed, else none: lip sync then hears the whole track, music included)
            --accept-license NAME: use a model whose licence does not allow commercial use (its id or licence name)
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Path home;
    private final FarmLayout layout;

    public FarmCli(PrintStream out, PrintStream err, Path home, FarmLayout layout) {
        this.out = out;
        this.err = err;
        this.home = home;
        this.layout = layout;
    }

    /** Held so the JUL levels set below are not garbage-collected with their loggers. */
    private static final List<java.util.logging.Logger> QUIET = new ArrayList<>();

    public static void main(String[] args) {
        // the embedded servers are chatty at INFO; the CLI prints its own progress
        // JavaCV's notes ("Info: avformat_open_input rejected some options") go to java.util.logging, held at WARNING below
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        for (String noisy : List.of("io.zonky", "org.gaul", "org.apache.kafka", "org.eclipse.jetty", "org.bytedeco")) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(noisy);
            logger.setLevel(java.util.logging.Level.WARNING);
            QUIET.add(logger);
        }
        Path home = Path.of(System.getenv().getOrDefault("FARM_HOME", ".farm")).toAbsolutePath();
        System.exit(new FarmCli(System.out, System.err, home, FarmLayout.detect()).run(args));
    }

    public int run(String[] args) {
        return run(args, null);
    }

    /** @param models the model store for in-process analysis; null reads it from the environment */
    private int run(String[] args, ModelStore models) {
        if (args.length == 0) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "render" -> render(Options.parse(rest));
                case "still" -> still(Options.parse(rest));
                case "analyse", "analyze" -> analyse(Options.parse(rest), models == null ? ModelStore.fromEnvironment() : models);
                case "benchmark" -> benchmark(Options.parse(rest), models == null ? ModelStore.fromEnvironment() : models);
                case "up" -> up(Options.parse(rest));
                case "serve" -> serve(Options.parse(rest));
                case "down" -> down(Options.parse(rest));
                case "status" -> status(rest.isEmpty() ? null : rest.get(0));
                case "dead-letters" -> deadLetters(Options.parse(rest));
                case "provenance" -> provenance(rest);
                case "token" -> token(rest);
                case "cancel", "pause", "resume", "retry" -> control(args[0], Options.parse(rest.size() > 1 ? rest.subList(1, rest.size()) : List.of()),
                        rest.isEmpty() ? null : rest.get(0));
                case "priority" -> priority(Options.parse(rest.size() > 2 ? rest.subList(2, rest.size()) : List.of()), rest);
                case "drain", "release" -> workerControl(args[0], Options.parse(rest.size() > 1 ? rest.subList(1, rest.size()) : List.of()),
                        rest.isEmpty() ? null : rest.get(0));
                case "help", "--help", "-h" -> {
                    out.print(USAGE_TEXT);
                    yield OK;
                }
                default -> {
                    err.println("error: unknown command '" + args[0] + "'");
                    err.print(USAGE_TEXT);
                    yield USAGE;
                }
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (facefarm.models.LicenseNotAcceptedException e) {
            err.println("error: " + e.getMessage());
            return USAGE;
        } catch (CoordinatorClient.ApiException e) {
            err.println("error: " + e.getMessage());
            return e.status() < 500 ? USAGE : FAILED;
        } catch (RuntimeException e) {
            err.println("error: " + oneLine(e));
            return FAILED;
        }
    }

    private int render(Options o) {
        Path target = o.requireFile("--target");
        List<Path> sources = new ArrayList<>(o.files("--source"));
        List<FaceMapArgument.Entry> faceMap = o.all("--face-map").stream().map(FaceMapArgument::parse).toList();
        FaceMapArgument.addSources(faceMap, sources);
        List<ConsentArgument> consents = o.all("--consent").stream().map(ConsentArgument::parse).toList();
        if (consents.size() > sources.size()) {
            throw new UsageException("--consent is given " + consents.size() + " times for " + sources.size() + " source(s): one per --source, in order");
        }
        Path audio = o.has("--audio") ? o.requireFile("--audio") : null;
        if (sources.isEmpty() && audio == null && !o.has("--processors")) {
            throw new UsageException("--source IMAGE is required for the default chain (a photo of the face to use), or --audio FILE to lip-sync the "
                    + "target to a voice, or --processors for a chain that needs neither (e.g. face_debugger)");
        }
        Path output = o.require("--output").map(Path::of).orElseThrow().toAbsolutePath();
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".mkv") ? "mkv" : name.endsWith(".mp4") ? "mp4" : null;
        if (format == null) {
            throw new UsageException("--output must end in .mp4 (H.264 + AAC) or .mkv (lossless FFV1 + FLAC), got " + output.getFileName());
        }
        if (output.getParent() != null && !Files.isDirectory(output.getParent())) {
            throw new UsageException("the folder of --output, " + output.getParent() + ", does not exist");
        }
        Integer still = o.has("--still") ? o.nonNegativeInt("--still") : null;
        int workers = o.positiveInt("--workers", 2);
        Integer chunkFrames = o.has("--chunk-frames") ? o.positiveInt("--chunk-frames", 0) : null;
        List<String> processors = o.value("--processors").map(p -> Arrays.stream(p.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(null);
        AnalysisOptions analysis = analysisOptions(o);
        ProcessorOptions processing = processorOptions(o);
        long started = System.nanoTime();
        JobOptions options = new JobOptions(processors, chunkFrames, format, analysis, processing, o.value("--audio-fit").orElse(null),
                o.value("--fps").map(v -> (double) parseFloat("--fps", v)).orElse(null), o.value("--video-bitrate").map(FarmCli::bitrate).orElse(null),
                new Scheduling(o.has("--priority") ? o.nonNegativeInt("--priority") : null,
                        o.value("--require").map(t -> Arrays.stream(t.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()).orElse(null)),
                o.value("--webhook").orElse(null), label(o));
        if (o.has("--api")) {
            // a deployed farm (Compose, Kubernetes): its API and a token the operator made for this studio
            String token = System.getenv("FARM_TOKEN");
            if (token == null || token.isBlank()) {
                throw new UsageException("--api needs the farm's API token in FARM_TOKEN (ask its operator: ./farm token create --api URL ...)");
            }
            String api = o.value("--api").orElseThrow();
            err.println("farm: rendering on " + api);
            return renderOn(new CoordinatorClient(api, token), new Render(target, sources, consents, faceMap, audio, options, output, still), started);
        }
        Map<String, Object> running = readState();
        if (running != null) {
            // a farm started with ./farm up takes the job; its state is its own, so no second farm starts in the same home
            err.println("farm: rendering on the farm already up at " + running.get("api"));
            return renderOn(new CoordinatorClient((String) running.get("api"), LocalToken.read(home)), new Render(target, sources, consents, faceMap, audio, options, output, still),
                    started);
        }
        try (LocalFarm farm = LocalFarm.start(layout, settings(o, workers), line -> err.println("farm: " + line))) {
            Thread cleanup = new Thread(farm::close, "farm-stop");
            Runtime.getRuntime().addShutdownHook(cleanup);
            int result = renderOn(farm.client(), new Render(target, sources, consents, faceMap, audio, options, output, still), started);
            Runtime.getRuntime().removeShutdownHook(cleanup);
            return result;
        }
    }

    /** --label TEXT [--label-position CORNER] [--label-opacity 0.8]; the farm checks the values. */
    private static VisibleLabel label(Options o) {
        if (!o.has("--label")) {
            if (o.has("--label-position") || o.has("--label-opacity")) {
                throw new UsageException("--label-position and --label-opacity go with --label TEXT");
            }
            return null;
        }
        return new VisibleLabel(o.value("--label").orElseThrow(), o.value("--label-position").orElse(null),
                o.value("--label-opacity").map(v -> (double) parseFloat("--label-opacity", v)).orElse(null));
    }

    /** @param still the frame to write a before/after still of, or null */
    private record Render(Path target, List<Path> sources, List<ConsentArgument> consents, List<FaceMapArgument.Entry> faceMap, Path audio, JobOptions options,
                          Path output, Integer still) {
    }

    /** ./farm still: frame N of a target and of its render side by side, for a render made before. */
    private int still(Options o) {
        Path target = o.requireFile("--target");
        Path rendered = o.requireFile("--render");
        int frame = o.nonNegativeInt("--frame");
        Path output = o.value("--output").map(Path::of).orElse(BeforeAfterStill.besides(rendered, frame)).toAbsolutePath();
        if (!output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("--output must end in .png (the still is lossless), got " + output.getFileName());
        }
        writeStill(target, rendered, frame, output);
        return OK;
    }

    private void writeStill(Path target, Path rendered, int frame, Path output) {
        try {
            BeforeAfterStill.write(target, rendered, frame, output);
        } catch (MediaException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("still: " + output + " (frame " + frame + ", the target on the left, the render on the right)");
    }

    private int renderOn(CoordinatorClient client, Render render, long started) {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        // every file goes straight to S3 in parts; the job then names them by key
        Uploader uploader = new Uploader(client);
        InputFile targetFile = upload(uploader, render.target());
        List<InputFile> sourceFiles = new ArrayList<>(render.sources().stream().map(s -> upload(uploader, s)).toList());
        for (int i = 0; i < render.consents().size(); i++) {
            ConsentArgument consent = render.consents().get(i);
            String document = consent.document() == null ? null : upload(uploader, consent.document()).key();
            sourceFiles.set(i, sourceFiles.get(i).withConsent(new Consent(consent.id(), document, null)));
        }
        InputFile audioFile = render.audio() == null ? null : upload(uploader, render.audio());
        JobOptions options = render.options();
        if (!render.faceMap().isEmpty()) {
            List<Path> sources = new ArrayList<>(render.sources());
            options = options.withAnalysis(options.analysis().withFaceMap(FaceMapArgument.resolve(render.faceMap(), sources, p -> upload(uploader, p))));
        }
        JobStatus submitted = client.submit(new JobSubmission(targetFile, sourceFiles, audioFile, options));
        err.println("farm: job " + submitted.id() + " submitted; a worker is probing the target and checking the faces");
        JobStatus prepared = client.follow(submitted.id(), s -> { }, s -> s.state() != JobState.PREPARING);
        if (prepared.state() == JobState.FAILED) {
            return failed(prepared);
        }
        err.println("farm: job " + prepared.id() + ": " + prepared.framesTotal() + " frames at " + prepared.frameRate() + " fps, "
                + prepared.chunksTotal() + " chunk(s), smoothing window " + prepared.analysis().smoothingWindow() + ", processors "
                + String.join(",", prepared.processors()) + ", models "
                + String.join(",", prepared.models().stream().map(m -> m.id() + " (" + m.license() + ")").toList()));
        Integer still = render.still();
        if (still != null && still >= prepared.framesTotal()) {
            err.println("farm: --still " + still + " is past the job's last frame (" + (prepared.framesTotal() - 1) + "): no still will be written");
            still = null;
        }
        JobStatus last = client.follow(submitted.id(), bar::update);
        bar.finish();
        if (last.state() != JobState.DONE) {
            return failed(last);
        }
        Path sidecar = client.download(last.id(), render.output());
        double wall = (System.nanoTime() - started) / 1e9;
        out.println(summary(last, render.output(), wall));
        if (sidecar != null) {
            out.println("content credentials: " + sidecar + " (C2PA sidecar: keep it beside the video; ./farm provenance checks both)");
        }
        if (still != null) {
            writeStill(render.target(), render.output(), still, BeforeAfterStill.besides(render.output(), still));
        }
        return OK;
    }

    private InputFile upload(Uploader uploader, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
        ProgressBar.Bytes progress = new ProgressBar.Bytes(err, System.console() != null, "uploading " + file.getFileName(), size);
        InputFile uploaded = uploader.upload(file, progress::update);
        progress.finish();
        return uploaded;
    }

    /** A job that ended without output: exit 2 when its input or options were refused, 1 when the farm failed. */
    private int failed(JobStatus job) {
        if (job.failure() != null && job.failure().isInputError()) {
            err.println("error: " + job.failure().message());
            return USAGE;
        }
        err.println("error: job " + job.id() + " failed: " + job.error() + " (logs: " + home.resolve("logs") + ")");
        return FAILED;
    }

    /** A bitrate in bits/s, with k or M: 20M, 8000k, 12000000. */
    static long bitrate(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long scale = v.endsWith("m") ? 1_000_000L : v.endsWith("k") ? 1_000L : 1L;
        try {
            return Math.round(Double.parseDouble(scale == 1 ? v : v.substring(0, v.length() - 1)) * scale);
        } catch (NumberFormatException e) {
            throw new UsageException("--video-bitrate takes bits per second, such as 20M or 8000k, got '" + value + "'");
        }
    }

    private int analyse(Options o, ModelStore models) {
        Path input = o.requireFile("--input");
        Path json = o.value("--json").map(Path::of).orElse(null);
        List<FaceMapArgument.Entry> map = o.all("--face-map").stream().map(FaceMapArgument::parse).toList();
        new AnalyseCommand(out, err).run(input, analysisOptions(o), o.has("--embedding"), json, models.acceptingLicenses(o.all("--accept-license")), map);
        return OK;
    }

    private int benchmark(Options o, ModelStore models) {
        if (o.has("--long")) {
            Path seed = o.has("--seed") ? o.requireFile("--seed") : Path.of(System.getProperty("farm.root", ".")).resolve("../shared/media/face_4.mp4").normalize();
            if (!o.has("--input") && !Files.isRegularFile(seed)) {
                throw new UsageException("--long needs --input VIDEO (a long clip) or --seed VIDEO (a short clip to loop into one); " + seed + " is missing");
            }
            new LongBenchmark(out, err, layout, home).run(o.has("--input") ? o.requireFile("--input") : null, seed, o.positiveInt("--frames", 7546),
                    o.positiveInt("--workers", 2), o.positiveInt("--chunk-frames", 250));
            return OK;
        }
        Path input = o.requireFile("--input");
        List<Path> path = Arrays.stream(System.getenv().getOrDefault("FARM_MODEL_PATH", "").split(":")).filter(p -> !p.isBlank()).map(Path::of).toList();
        new BenchmarkCommand(out, err, models.acceptingLicenses(o.all("--accept-license")), path).run(input, o.positiveInt("--frames", 64),
                o.has("--source") ? o.requireFile("--source") : null);
        return OK;
    }

    /** ./farm analyse with a given model store (tests); exit codes and messages as from the command line. */
    public static int analyse(String[] args, PrintStream out, PrintStream err, ModelStore models) {
        return new FarmCli(out, err, Path.of(".farm"), null).run(args, models);
    }

    /** The analysis options a command line gives (tests). */
    public static AnalysisOptions analysisOptions(String... args) {
        return analysisOptions(Options.parse(List.of(args)));
    }

    /** The embedded farm's settings, with licences accepted on the command line added to FARM_ACCEPT_LICENSES. */
    private LocalFarm.Settings settings(Options o, int workers) {
        LocalFarm.Settings settings = LocalFarm.Settings.defaults(home, workers);
        List<String> accepted = new ArrayList<>(o.all("--accept-license"));
        if (accepted.isEmpty()) {
            return settings;
        }
        String inherited = System.getenv("FARM_ACCEPT_LICENSES");
        if (inherited != null && !inherited.isBlank()) {
            accepted.add(inherited);
        }
        return settings.withEnv(Map.of("FARM_ACCEPT_LICENSES", String.join(",", accepted)));
    }

    /** FaceFusion's face analysis options from the command line; what is not given stays null (the farm's default). */
    static AnalysisOptions analysisOptions(Options o) {
        String detector = o.value("--face-detector-model").or(() -> o.value("--detector")).orElse(null);
        String landmarker = o.value("--face-landmarker-model").or(() -> o.value("--landmarker")).orElse(null);
        Integer size = o.value("--face-detector-size").map(v -> {
            String[] parts = v.toLowerCase(Locale.ROOT).split("x");
            if (parts.length == 2 && !parts[0].equals(parts[1])) {
                throw new UsageException("--face-detector-size must be square (e.g. 640 or 640x640), got " + v);
            }
            return parseInt("--face-detector-size", parts[0]);
        }).orElse(null);
        return new AnalysisOptions(detector, size, o.value("--face-detector-margin").map(v -> ints("--face-detector-margin", v)).orElse(null),
                o.value("--face-detector-angles").map(v -> ints("--face-detector-angles", v)).orElse(null),
                o.value("--face-detector-score").map(v -> parseFloat("--face-detector-score", v)).orElse(null), landmarker,
                o.value("--face-landmarker-score").map(v -> parseFloat("--face-landmarker-score", v)).orElse(null), null,
                o.value("--face-selector-mode").orElse(null), o.value("--face-selector-order").orElse(null),
                o.value("--reference-face-position").map(v -> parseInt("--reference-face-position", v)).orElse(null),
                o.value("--reference-face-distance").map(v -> parseFloat("--reference-face-distance", v)).orElse(null),
                o.value("--reference-frame-number").map(v -> (long) parseInt("--reference-frame-number", v)).orElse(null),
                o.value("--smoothing-window").map(v -> parseInt("--smoothing-window", v)).orElse(null));
    }

    /** FaceFusion's processor options from the command line; what is not given stays null (the farm's default). */
    static ProcessorOptions processorOptions(Options o) {
        Integer boost = o.value("--face-swapper-pixel-boost").map(v -> {
            String[] parts = v.toLowerCase(Locale.ROOT).split("x");
            if (parts.length == 2 && !parts[0].equals(parts[1])) {
                throw new UsageException("--face-swapper-pixel-boost must be square (e.g. 512 or 512x512), got " + v);
            }
            return parseInt("--face-swapper-pixel-boost", parts[0]);
        }).orElse(null);
        List<Integer> padding = o.value("--face-mask-padding").map(v -> {
            // FaceFusion's shorthand: one value for all sides, two for top/bottom and right/left
            List<Integer> p = ints("--face-mask-padding", v);
            return switch (p.size()) {
                case 1 -> List.of(p.get(0), p.get(0), p.get(0), p.get(0));
                case 2 -> List.of(p.get(0), p.get(1), p.get(0), p.get(1));
                case 4 -> p;
                default -> throw new UsageException("--face-mask-padding takes 1, 2 or 4 percentages (top, right, bottom, left), got " + v);
            };
        }).orElse(null);
        return new ProcessorOptions(o.value("--face-swapper-model").orElse(null), boost,
                o.value("--face-swapper-weight").map(v -> parseFloat("--face-swapper-weight", v)).orElse(null),
                o.value("--face-enhancer-model").orElse(null),
                o.value("--face-enhancer-blend").map(v -> parseInt("--face-enhancer-blend", v)).orElse(null),
                o.value("--face-enhancer-weight").map(v -> parseFloat("--face-enhancer-weight", v)).orElse(null),
                o.value("--face-mask-types").map(FarmCli::names).orElse(null),
                o.value("--face-mask-blur").map(v -> parseFloat("--face-mask-blur", v)).orElse(null), padding,
                o.value("--face-mask-areas").map(FarmCli::names).orElse(null), o.value("--face-mask-regions").map(FarmCli::names).orElse(null),
                o.value("--face-occluder-model").orElse(null), o.value("--face-parser-model").orElse(null),
                o.value("--mesh-swapper-blend").orElse(null), o.value("--lip-syncer-model").orElse(null),
                o.value("--lip-syncer-weight").map(v -> parseFloat("--lip-syncer-weight", v)).orElse(null),
                o.value("--voice-extractor-model").orElse(null));
    }

    /** The processor options a command line gives (tests). */
    public static ProcessorOptions processorOptions(String... args) {
        return processorOptions(Options.parse(List.of(args)));
    }

    private static List<String> names(String value) {
        return Arrays.stream(value.split("[,\\s]+")).filter(v -> !v.isEmpty()).toList();
    }

    private static List<Integer> ints(String name, String value) {
        return Arrays.stream(value.split("[,\\s]+")).filter(v -> !v.isEmpty()).map(v -> parseInt(name, v)).toList();
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes whole numbers, got '" + value + "'");
        }
    }

    private static float parseFloat(String name, String value) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a number, got '" + value + "'");
        }
    }

    static String summary(JobStatus job, Path output, double wallSeconds) {
        StageTimings t = job.timings();
        return String.format(Locale.ROOT, "done: %d frames in %.1f s (%.1f frames/s) -> %s | probe %.1fs, decode %.1fs, process %.1fs, encode %.1fs, "
                        + "transfer %.1fs, stitch %.1fs (worker stages summed over workers)",
                job.framesTotal(), wallSeconds, job.framesTotal() / wallSeconds, output, t.probeMs() / 1e3, t.decodeMs() / 1e3, t.processMs() / 1e3,
                t.encodeMs() / 1e3, t.transferMs() / 1e3, t.stitchMs() / 1e3);
    }

    private Path stateFile() {
        return home.resolve("farm.json");
    }

    private int serve(Options o) {
        int workers = o.positiveInt("--workers", 2);
        LocalFarm farm = LocalFarm.start(layout, settings(o, workers).with(LocalFarm.Lifecycle.SERVICE), line -> err.println("farm: " + line));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            farm.close();
            try {
                Files.deleteIfExists(stateFile());
            } catch (IOException e) {
                err.println("cannot remove " + stateFile());
            }
            stopped.countDown();
        }, "farm-stop"));
        try {
            Files.writeString(stateFile(), Messages.JSON.writeValueAsString(Map.of("pid", ProcessHandle.current().pid(), "api", farm.apiUrl(),
                    "kafka", farm.kafkaBootstrap(), "workers", workers)));
            stopped.await();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + stateFile(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private Map<String, Object> readState() {
        try {
            if (!Files.isRegularFile(stateFile())) {
                return null;
            }
            Map<String, Object> state = Messages.JSON.readValue(stateFile().toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            long pid = ((Number) state.get("pid")).longValue();
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return state;
            }
            Files.deleteIfExists(stateFile());
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stateFile() + ": " + e.getMessage(), e);
        }
    }

    private int up(Options o) {
        Map<String, Object> state = readState();
        if (state != null) {
            out.println("farm already up at " + state.get("api") + " (pid " + state.get("pid") + ")");
            return OK;
        }
        int workers = o.positiveInt("--workers", 2);
        Path log = home.resolve("logs/farm.log");
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Dfarm.root=" + layout.root(), "-Dorg.bytedeco.javacpp.cachedir=" + layout.nativeCache(),
                    "-cp", layout.brokerClassPath(), FarmCli.class.getName(), "serve", "--workers", Integer.toString(workers)));
            for (String accepted : o.all("--accept-license")) {
                command.addAll(List.of("--accept-license", accepted));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (System.nanoTime() < deadline) {
                state = readState();
                if (state != null) {
                    out.println("farm up at " + state.get("api") + " with " + workers + " worker(s); API docs at " + state.get("api")
                            + "/q/openapi; logs in " + home.resolve("logs") + "; stop with ./farm down");
                    return OK;
                }
                if (!process.isAlive()) {
                    err.println("error: the farm did not start; " + log + " ends with:\n" + ChildProcess.tail(log, 15));
                    return FAILED;
                }
                Thread.sleep(250);
            }
            process.destroy();
            err.println("error: the farm did not start within 300 s; see " + log);
            return FAILED;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the farm: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private int down(Options o) {
        Map<String, Object> state = readState();
        if (state == null) {
            out.println("no farm is running from " + home);
            return o.has("--purge") ? purge() : OK;
        }
        long pid = ((Number) state.get("pid")).longValue();
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.destroy();
            try {
                handle.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        out.println("farm stopped; its jobs and objects are kept for the next ./farm up" + (o.has("--purge") ? "" : " (./farm down --purge wipes them)"));
        return o.has("--purge") ? purge() : OK;
    }

    /** Wipes what ./farm up keeps: every job, object and topic (the operator token stays). */
    private int purge() {
        Path state = LocalFarm.runDir(home, LocalFarm.Lifecycle.SERVICE);
        LocalFarm.deleteTree(state);
        out.println("wiped " + state);
        return OK;
    }

    private int provenance(List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException("provenance needs the file to check: ./farm provenance FILE [--frames 48] [--on-farm] [--api URL]");
        }
        Options o = Options.parse(rest.subList(1, rest.size()));
        int frames = o.positiveInt("--frames", ProvenanceCheckRequest.DEFAULT_FRAMES);
        if (frames > ProvenanceCheck.MAX_FRAMES) {
            throw new UsageException("--frames reads at most " + ProvenanceCheck.MAX_FRAMES + " frames; the mark is found in a few dozen");
        }
        CoordinatorClient farm = null;
        if (o.has("--api") || readState() != null) {
            farm = operatorClient(o);
        }
        new ProvenanceCommand(out).run(Path.of(rest.get(0)), frames, farm, o.has("--on-farm"));
        return OK;
    }

    private int deadLetters(Options o) {
        String kafka = o.value("--kafka").orElse(null);
        if (kafka == null) {
            Map<String, Object> state = readState();
            if (state == null || state.get("kafka") == null) {
                err.println("error: no farm is running from " + home + "; start one with ./farm up, or name the broker with --kafka HOST:PORT");
                return FAILED;
            }
            kafka = (String) state.get("kafka");
        }
        DeadLetters letters = new DeadLetters(kafka, out);
        if (o.has("--replay")) {
            letters.replay();
        } else {
            letters.list();
        }
        return OK;
    }

    /** Cancels, pauses or resumes a job of the running farm, or of --api URL (token in FARM_TOKEN), and prints its history. */
    private int control(String action, Options o, String jobId) {
        if (jobId == null || jobId.startsWith("--")) {
            throw new UsageException(action + " needs the job's id: ./farm " + action + " JOB [--api URL]");
        }
        CoordinatorClient client = operatorClient(o);
        if (client == null) {
            return FAILED;
        }
        JobStatus job = !action.equals("retry") ? client.control(jobId, action)
                : o.has("--chunk") ? client.retryChunk(jobId, o.nonNegativeInt("--chunk")) : client.retry(jobId);
        printHistory(client, job);
        return OK;
    }

    private int priority(Options o, List<String> rest) {
        if (rest.size() < 2 || rest.get(0).startsWith("--")) {
            throw new UsageException("priority needs the job's id and the new priority: ./farm priority JOB 0..100 [--api URL]");
        }
        int priority;
        try {
            priority = Integer.parseInt(rest.get(1));
        } catch (NumberFormatException e) {
            throw new UsageException("the priority must be a whole number from 0 to 100 (higher first), got '" + rest.get(1) + "'");
        }
        CoordinatorClient client = operatorClient(o);
        if (client == null) {
            return FAILED;
        }
        printHistory(client, client.priority(rest.get(0), priority));
        return OK;
    }

    private int workerControl(String action, Options o, String workerId) {
        if (workerId == null || workerId.startsWith("--")) {
            throw new UsageException(action + " needs the worker's id (./farm status lists them): ./farm " + action + " WORKER [--api URL]");
        }
        CoordinatorClient client = operatorClient(o);
        if (client == null) {
            return FAILED;
        }
        Map<String, Object> worker = client.worker(workerId, action);
        out.println(worker.get("id") + "  " + worker.get("state") + (worker.get("currentJob") == null ? "" : "  finishing job " + worker.get("currentJob")));
        return OK;
    }

    private void printHistory(CoordinatorClient client, JobStatus job) {
        String jobId = job.id();
        out.println(job.id() + "  " + ProgressBar.render(job));
        for (facefarm.common.jobs.JobAction entry : client.history(jobId)) {
            out.println("  " + entry.at() + "  " + entry.action() + " by " + entry.actor() + (entry.detail() == null ? "" : " (" + entry.detail() + ")"));
        }
    }

    private int status(String jobId) {
        Map<String, Object> state = readState();
        if (state == null) {
            err.println("error: no farm is running from " + home + "; start one with ./farm up");
            return FAILED;
        }
        CoordinatorClient client = new CoordinatorClient((String) state.get("api"), LocalToken.read(home));
        if (jobId != null) {
            JobStatus job = client.job(jobId);
            out.println(ProgressBar.render(job));
            if (job.error() != null) {
                out.println("error: " + job.error());
            }
            if (job.placement() != null && job.placement().waitingFor() != null) {
                out.println("waiting: " + job.placement().waitingFor());
            }
            return OK;
        }
        out.println("farm at " + state.get("api"));
        printSupervision();
        for (Map<String, Object> worker : client.workers()) {
            out.printf(Locale.ROOT, "worker %-10s %-11s %-6s %6.1f frames/s  chunks done %s  failures %s  now %s%n", worker.get("id"),
                    worker.get("state"), worker.get("device"), ((Number) worker.get("framesPerSecond")).doubleValue(), worker.get("chunksCompleted"),
                    worker.get("failures"), worker.get("currentJob") == null ? "idle" : worker.get("currentJob") + "#" + worker.get("currentChunk"));
        }
        for (JobStatus job : client.jobs()) {
            out.println(job.id() + "  " + ProgressBar.render(job));
            if (job.placement() != null && job.placement().waitingFor() != null) {
                out.println("  waiting: " + job.placement().waitingFor());
            }
        }
        return OK;
    }

    /** What the launcher's supervisor restarted, from the file it keeps. */
    private void printSupervision() {
        Path file = LocalFarm.runDir(home, LocalFarm.Lifecycle.SERVICE).resolve("supervisor.json");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Map<String, Map<String, Object>> parts = Messages.JSON.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            parts.forEach((name, part) -> {
                int restarts = ((Number) part.get("restarts")).intValue();
                out.printf(Locale.ROOT, "%-12s %s%n", name, restarts == 0 ? "up, never restarted"
                        : "restarted " + restarts + " time(s), last at " + part.get("lastRestart") + " (" + part.get("lastReason") + ")");
            });
        } catch (IOException e) {
            err.println("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code token} prints the farm's operator token (made on first use); {@code token create|list|revoke} manage the
     * others through the API of the running farm, or of {@code --api URL} with the token in FARM_TOKEN.
     */
    private int token(List<String> args) {
        if (args.isEmpty()) {
            out.println(LocalToken.ensure(home));
            return OK;
        }
        boolean revoke = args.get(0).equals("revoke");
        if (revoke && (args.size() < 2 || args.get(1).startsWith("--"))) {
            throw new UsageException("say which token: ./farm token revoke NAME");
        }
        Options o = Options.parse(args.subList(revoke ? 2 : 1, args.size()));
        CoordinatorClient client = operatorClient(o);
        if (client == null) {
            return FAILED;
        }
        switch (args.get(0)) {
            case "create" -> {
                var made = client.createToken(o.require("--name").get(), o.value("--tenant").orElse("default"), o.value("--role").orElse("submitter"));
                err.println("token " + made.get("name").asText() + " (" + made.get("role").asText() + " of tenant " + made.get("tenant").asText()
                        + "); it is shown only this once:");
                out.println(made.get("token").asText());
            }
            case "list" -> client.tokens().forEach(t -> out.printf(Locale.ROOT, "%-24s %-10s %-16s created %s%s%n", t.get("name").asText(),
                    t.get("role").asText(), t.get("tenant").asText(), t.get("createdAt").asText(),
                    t.get("revokedAt").isNull() ? "" : "  revoked " + t.get("revokedAt").asText()));
            case "revoke" -> {
                client.revokeToken(args.get(1));
                out.println("revoked " + args.get(1));
            }
            default -> throw new UsageException("unknown token command '" + args.get(0) + "': token [create --name N --tenant T --role R | list | revoke NAME]");
        }
        return OK;
    }

    private CoordinatorClient operatorClient(Options o) {
        String api = o.value("--api").orElse(null);
        if (api == null) {
            Map<String, Object> state = readState();
            if (state == null) {
                err.println("error: no farm is running from " + home + "; start one with ./farm up, or name one with --api URL (token in FARM_TOKEN)");
                return null;
            }
            api = (String) state.get("api");
        }
        String token = System.getenv("FARM_TOKEN");
        return new CoordinatorClient(api, token != null && !token.isBlank() ? token : LocalToken.read(home));
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** --name value pairs (--source and --accept-license may repeat) and the flags that take no value. */
    record Options(Map<String, List<String>> values) {
        static final java.util.Set<String> FLAGS = java.util.Set.of("--embedding", "--long", "--replay", "--purge", "--on-farm");

        static Options parse(List<String> args) {
            Map<String, List<String>> values = new java.util.LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String name = args.get(i);
                if (!name.startsWith("--")) {
                    throw new UsageException("unexpected argument '" + name + "'");
                }
                if (FLAGS.contains(name)) {
                    values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                    continue;
                }
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException(name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
            }
            return new Options(values);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        java.util.Optional<String> value(String name) {
            return values.containsKey(name) ? java.util.Optional.of(values.get(name).get(values.get(name).size() - 1)) : java.util.Optional.empty();
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        java.util.Optional<String> require(String name) {
            return java.util.Optional.of(value(name).orElseThrow(() -> new UsageException(name + " is required")));
        }

        Path requireFile(String name) {
            Path file = Path.of(require(name).get());
            if (!Files.isRegularFile(file)) {
                throw new UsageException(name + " " + file + " does not exist or is not a file");
            }
            return file;
        }

        List<Path> files(String name) {
            List<Path> files = new ArrayList<>();
            for (String value : values.getOrDefault(name, List.of())) {
                Path file = Path.of(value);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException(name + " " + file + " does not exist or is not a file");
                }
                files.add(file);
            }
            return files;
        }

        int positiveInt(String name, int fallback) {
            return has(name) ? atLeast(name, 1) : fallback;
        }

        int nonNegativeInt(String name) {
            return atLeast(name, 0);
        }

        private int atLeast(String name, int least) {
            try {
                int value = Integer.parseInt(value(name).orElseThrow(() -> new UsageException(name + " needs a value")));
                if (value < least) {
                    throw new UsageException(name + " must be at least " + least + ", got " + value);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be a whole number, got '" + value(name).get() + "'");
            }
        }
    }
}
