package facefarm.worker.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The execution providers a worker process really uses, decided once at start: those FARM_EXECUTION_PROVIDERS asks
 * for (best first) that this ONNX Runtime build offers and that load on this machine, on the GPU FARM_GPU_DEVICE
 * names. A GPU provider that is built in but cannot load (no NVIDIA driver, no CUDA/cuDNN or TensorRT libraries) is
 * skipped with a warning when "cpu" is in the list; without "cpu" the list is strict, and the worker refuses to start.
 *
 * @param providers what sessions are given, best first; never empty
 * @param gpuDevice the CUDA device sessions run on (within CUDA_VISIBLE_DEVICES), or -1 on the CPU
 * @param note why a requested provider is not used, or null
 */
public record Acceleration(List<OrtProvider> providers, int gpuDevice, String note) {
    private static final System.Logger LOG = System.getLogger(Acceleration.class.getName());
    /** One process per GPU: a GPU pool runs several workers, each with its own FARM_GPU_DEVICE. */
    public static final String DEFAULT_PROVIDERS = "tensorrt,cuda,cpu";

    public Acceleration {
        providers = List.copyOf(providers);
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("no execution provider");
        }
    }

    public OrtProvider primary() {
        return providers.get(0);
    }

    public boolean onGpu() {
        return primary() != OrtProvider.CPU;
    }

    /** "cuda:1" or "cpu", for heartbeats and logs. */
    public String device() {
        return onGpu() ? "cuda:" + gpuDevice : "cpu";
    }

    /** The provider's short name, as FARM_EXECUTION_PROVIDERS spells it. */
    public String providerName() {
        return name(primary());
    }

    /** Adds the providers to a session's options, best first (ONNX Runtime falls back per node to the next). */
    public void configure(OrtSession.SessionOptions options) throws OrtException {
        for (OrtProvider provider : providers) {
            append(options, provider, gpuDevice);
        }
    }

    /**
     * @throws IllegalArgumentException when the settings are malformed, or a strict list (without "cpu") names a
     *     provider this build lacks or this machine cannot load; the message says what to install or set
     */
    public static Acceleration resolve(Map<String, String> env) {
        String requested = env.getOrDefault("FARM_EXECUTION_PROVIDERS", DEFAULT_PROVIDERS);
        List<OrtProvider> wanted = parse(requested);
        boolean strict = !wanted.contains(OrtProvider.CPU);
        int device = gpuDevice(env);
        EnumSet<OrtProvider> built = OrtEnvironment.getAvailableProviders();
        List<OrtProvider> chosen = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (OrtProvider provider : wanted) {
            if (provider == OrtProvider.CPU) {
                chosen.add(provider);
                continue;
            }
            String refusal = !built.contains(provider)
                    ? "this worker's ONNX Runtime has no " + name(provider) + " provider (it is the CPU build: run the GPU worker image, or "
                            + "the worker-gpu class path)"
                    : loadFailure(provider, device);
            if (refusal == null) {
                chosen.add(provider);
            } else if (strict) {
                throw new IllegalArgumentException("FARM_EXECUTION_PROVIDERS=" + requested + " asks for " + name(provider) + " only, but " + refusal
                        + "; add cpu to the list to fall back to the CPU instead");
            } else {
                skipped.add(name(provider) + ": " + refusal);
            }
        }
        String note = skipped.isEmpty() ? null : String.join("; ", skipped);
        // a CPU build asked for the default list is the normal CPU worker, not a degraded GPU one
        boolean expected = requested.equals(DEFAULT_PROVIDERS) && built.stream().noneMatch(p -> p == OrtProvider.CUDA || p == OrtProvider.TENSOR_RT);
        if (note != null && !expected) {
            LOG.log(System.Logger.Level.WARNING, "falling back to " + name(chosen.get(0)) + ": " + note);
        }
        return new Acceleration(chosen, chosen.get(0) == OrtProvider.CPU ? -1 : device, note);
    }

    static List<OrtProvider> parse(String requested) {
        List<OrtProvider> providers = new ArrayList<>();
        for (String name : requested.toLowerCase(Locale.ROOT).split(",")) {
            OrtProvider provider = KNOWN.stream().filter(known -> name(known).equals(name.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown execution provider '" + name.trim()
                            + "' in FARM_EXECUTION_PROVIDERS (use tensorrt, cuda, cpu, best first, e.g. cuda,cpu)"));
            if (!providers.contains(provider)) {
                providers.add(provider);
            }
        }
        return providers;
    }

    /**
     * FARM_GPU_DEVICE, else 0. CUDA numbers devices within CUDA_VISIBLE_DEVICES, so a process that sees one GPU uses 0
     * whichever card it is.
     */
    static int gpuDevice(Map<String, String> env) {
        String configured = env.get("FARM_GPU_DEVICE");
        if (configured == null || configured.isBlank()) {
            return 0;
        }
        try {
            int device = Integer.parseInt(configured.trim());
            if (device < 0) {
                throw new NumberFormatException();
            }
            return device;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FARM_GPU_DEVICE=" + configured + " is not a GPU number (0, 1, ...; one worker process per GPU)", e);
        }
    }

    /** Whether the provider's libraries load for the device: null if they do, else what went wrong. */
    private static String loadFailure(OrtProvider provider, int device) {
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            append(probe, provider, device);
            return null;
        } catch (OrtException | RuntimeException | LinkageError e) {
            String detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return name(provider) + " did not load on GPU " + device + " (" + detail + "): the NVIDIA driver, CUDA 12 and cuDNN 9"
                    + (provider == OrtProvider.TENSOR_RT ? " and TensorRT 10" : "") + " libraries must be on the library path "
                    + "(the GPU image's CUDA base has them; run it with --gpus or a nvidia.com/gpu resource)";
        }
    }

    private static void append(OrtSession.SessionOptions options, OrtProvider provider, int device) throws OrtException {
        switch (provider) {
            case TENSOR_RT -> options.addTensorrt(device);
            case CUDA -> options.addCUDA(device);
            default -> { }
        }
    }

    /** The providers FARM_EXECUTION_PROVIDERS may name; {@link #name} spells each as it is written there. */
    private static final List<OrtProvider> KNOWN = List.of(OrtProvider.TENSOR_RT, OrtProvider.CUDA, OrtProvider.CPU);

    static String name(OrtProvider provider) {
        return provider == OrtProvider.TENSOR_RT ? "tensorrt" : provider.name().toLowerCase(Locale.ROOT);
    }
}
