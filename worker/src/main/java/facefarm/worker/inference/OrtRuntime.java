package facefarm.worker.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * One ONNX Runtime environment per process and the sessions made from it, on the execution providers of
 * {@link Acceleration}.
 */
public final class OrtRuntime {
    private static final System.Logger LOG = System.getLogger(OrtRuntime.class.getName());
    private static final String[] NATIVE_LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so", "libonnxruntime_providers_shared.so",
            "libonnxruntime_providers_cuda.so", "libonnxruntime_providers_tensorrt.so"};
    private static volatile OrtEnvironment environment;
    private static volatile Acceleration acceleration;

    private OrtRuntime() {
    }

    public static OrtEnvironment environment() {
        if (environment == null) {
            synchronized (OrtRuntime.class) {
                if (environment == null) {
                    unpackNativesOnce();
                    // warnings about a model's own graph (unused initializers) are not the operator's business
                    environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                }
            }
        }
        return environment;
    }

    /** The providers this process uses, decided once (FARM_EXECUTION_PROVIDERS, FARM_GPU_DEVICE). */
    public static Acceleration acceleration() {
        if (acceleration == null) {
            synchronized (OrtRuntime.class) {
                if (acceleration == null) {
                    environment();
                    acceleration = Acceleration.resolve(System.getenv());
                }
            }
        }
        return acceleration;
    }

    /**
     * How many frames or crops go through a model together (FARM_BATCH, or the farm.batch property). One on the CPU, where batches measured slower
     * (./farm benchmark: 0.7-1.1x on 2 cores); 8 on a GPU, where one run per crop leaves the device idle.
     */
    public static int batchSize() {
        String configured = System.getProperty("farm.batch", System.getenv("FARM_BATCH"));
        if (configured != null && !configured.isBlank()) {
            return Math.max(1, Integer.parseInt(configured.trim()));
        }
        return acceleration().onGpu() ? 8 : 1;
    }

    /** "cuda:0" or "cpu", for heartbeats and logs. */
    public static String device() {
        return acceleration().device();
    }

    public static OrtSession open(Path model) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Integer.parseInt(System.getenv().getOrDefault("FARM_ORT_THREADS", "1")));
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            acceleration().configure(options);
            return environment().createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + model + ": " + e.getMessage()
                    + " (the file may be damaged or not an ONNX model: delete it so it is fetched again)", e);
        }
    }

    /**
     * ONNX Runtime's Java binding unpacks its libraries into a new temporary folder at every start and leaves it
     * behind; unpack them once into the native cache folder instead.
     */
    private static void unpackNativesOnce() {
        if (System.getProperty("onnxruntime.native.path") != null) {
            return;
        }
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache == null) {
            return;
        }
        try {
            String jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
            Path folder = Path.of(cache).getParent().resolve(jar.replace(".jar", ""));
            Files.createDirectories(folder);
            for (String library : NATIVE_LIBRARIES) {
                Path target = folder.resolve(library);
                if (Files.exists(target)) {
                    continue;
                }
                try (InputStream in = OrtEnvironment.class.getResourceAsStream("/ai/onnxruntime/native/linux-x64/" + library)) {
                    if (in == null) {
                        continue;
                    }
                    Path partial = Files.createTempFile(folder, library, ".part");
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("onnxruntime.native.path", folder.toString());
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            LOG.log(Level.DEBUG, "cannot unpack ONNX Runtime natives once; it will use a temporary folder: {0}", Arrays.toString(new Object[] {e}));
        }
    }
}
