package facefarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart (deploy/helm/facefarm) through helm lint and helm template, run from Java, for the default values and
 * for the GPU values file; every rendered object is parsed as a Kubernetes model and the parts that matter are checked.
 */
class HelmChartTest {
    private static final Path ROOT = Path.of(System.getProperty("farm.root", "..")).toAbsolutePath().normalize();
    private static final Path CHART = ROOT.resolve("deploy/helm/facefarm");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void theChartLints() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void defaultValuesRenderACoordinatorAndAScaleToZeroCpuPool() {
        List<HasMetadata> objects = render(new Helm(CHART).template().withName("farm"));
        Deployment coordinator = one(objects, Deployment.class, "farm-facefarm-coordinator");
        assertEquals(2, coordinator.getSpec().getReplicas(), "two coordinators: the singleton duties run under a database lock");
        Container api = coordinator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("/q/health/ready", api.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", api.getLivenessProbe().getHttpGet().getPath());
        assertEquals(Set.of("db-password", "bootstrap-token-hash", "s3-access-key", "s3-secret-key"), secretKeys(api, "facefarm-secrets"),
                "every secret comes from the operator's Secret");
        assertTrue(coordinator.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        one(objects, PodDisruptionBudget.class, "farm-facefarm-coordinator");
        assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("Secret")), "no Secret with empty values is made");

        Deployment cpu = one(objects, Deployment.class, "farm-facefarm-worker-cpu");
        PodSpec pod = cpu.getSpec().getTemplate().getSpec();
        Container worker = pod.getContainers().get(0);
        assertEquals("facefarm/worker:latest", worker.getImage());
        assertEquals("cpu", env(worker, "FARM_EXECUTION_PROVIDERS"));
        assertEquals("pool=cpu", env(worker, "FARM_WORKER_TAGS"));
        assertEquals("/health/ready", worker.getReadinessProbe().getHttpGet().getPath());
        assertFalse(worker.getResources().getLimits().containsKey("nvidia.com/gpu"));
        assertTrue(pod.getTerminationGracePeriodSeconds() > Long.parseLong(env(worker, "FARM_SHUTDOWN_GRACE_SECONDS")),
                "the pod waits longer than the worker takes to hand its chunk back");
        Container models = pod.getInitContainers().get(0);
        assertEquals("yunet_2023_mar,face_landmark_468", env(models, "FARM_PREFETCH_MODELS"), "the model cache is filled before the worker starts");
        assertTrue(worker.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/models") && Boolean.TRUE.equals(m.getReadOnly())));
        assertEquals("1", env(worker, "FARM_OFFLINE"), "workers read the cache; they download nothing");
        assertTrue(worker.getEnv().stream().noneMatch(e -> e.getName().startsWith("FARM_C2PA_")), "no signing secret: workers sign with local keys");

        GenericKubernetesResource scaler = one(objects, GenericKubernetesResource.class, "farm-facefarm-worker-cpu");
        assertEquals("ScaledObject", scaler.getKind());
        Map<String, Object> spec = scaler.get("spec");
        assertEquals(0, ((Number) spec.get("minReplicaCount")).intValue(), "idle pools scale to zero");
        assertEquals(4, ((Number) spec.get("maxReplicaCount")).intValue());
        List<Map<String, Object>> triggers = scaler.get("spec", "triggers");
        Map<String, Object> chunks = triggerOn(triggers, "farm.chunks.v1");
        assertEquals("kafka", chunks.get("type"));
        assertEquals("facefarm-workers", metadata(chunks).get("consumerGroup"), "the lag of the workers' own group");
        assertEquals("1", metadata(chunks).get("lagThreshold"));
        triggerOn(triggers, "farm.tasks.v1");
    }

    @Test
    void theGpuValuesRenderOnePoolPerGpuClassWithGpusNodeSelectorsAndAPartitionCap() {
        List<HasMetadata> objects = render(new Helm(CHART).template().withName("farm").withValuesFile(CHART.resolve("values-gpu.yaml"))
                .set("kafka.partitions", 12).set("secrets.create", true).set("secrets.dbPassword", "db").set("secrets.s3AccessKey", "key")
                .set("secrets.s3SecretKey", "secret").set("secrets.bootstrapTokenHash", "abc"));
        Deployment a100 = one(objects, Deployment.class, "farm-facefarm-worker-a100");
        PodSpec pod = a100.getSpec().getTemplate().getSpec();
        Container worker = pod.getContainers().get(0);
        assertEquals("facefarm/worker-gpu:latest", worker.getImage());
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"), "one GPU per worker process");
        assertEquals("0", env(worker, "FARM_GPU_DEVICE"));
        assertEquals("tensorrt,cuda,cpu", env(worker, "FARM_EXECUTION_PROVIDERS"));
        assertEquals("pool=a100,gpu=a100", env(worker, "FARM_WORKER_TAGS"), "jobs can require the pool or the GPU class");
        assertEquals("NVIDIA-A100-SXM4-80GB", pod.getNodeSelector().get("nvidia.com/gpu.product"));
        assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
        assertEquals("scrfd_2.5g,arcface_w600k_r50,inswapper_128", env(pod.getInitContainers().get(0), "FARM_ACCEPT_LICENSES"),
                "licences are accepted in values");
        one(objects, Deployment.class, "farm-facefarm-worker-l4");
        GenericKubernetesResource l4 = one(objects, GenericKubernetesResource.class, "farm-facefarm-worker-l4");
        assertEquals(12, ((Number) l4.<Object>get("spec", "maxReplicaCount")).intValue(),
                "16 L4 workers asked for, 12 partitions: workers beyond the partitions would idle");
        HasMetadata secret = objects.stream().filter(o -> o.getKind().equals("Secret")).findFirst().orElseThrow();
        assertEquals("facefarm-secrets", secret.getMetadata().getName());
        assertEquals("12", ((io.fabric8.kubernetes.api.model.ConfigMap) objects.stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst()
                .orElseThrow()).getData().get("FARM_KAFKA_PARTITIONS"));
    }

    @Test
    void theFarmsSigningSecretIsMountedIntoEveryWorker() {
        List<HasMetadata> objects = render(new Helm(CHART).template().withName("farm").set("c2pa.signingSecret", "farm-c2pa"));
        PodSpec pod = one(objects, Deployment.class, "farm-facefarm-worker-cpu").getSpec().getTemplate().getSpec();
        Container worker = pod.getContainers().get(0);
        assertEquals("/etc/facefarm/c2pa/signing.key", env(worker, "FARM_C2PA_KEY"));
        assertEquals("/etc/facefarm/c2pa/signing-chain.pem", env(worker, "FARM_C2PA_CHAIN"));
        assertTrue(worker.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("c2pa-signing") && m.getMountPath().equals("/etc/facefarm/c2pa")
                && Boolean.TRUE.equals(m.getReadOnly())));
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("c2pa-signing") && v.getSecret().getSecretName().equals("farm-c2pa")));
    }

    @Test
    void aChartMadeSecretWithoutItsValuesIsRefusedWithWhatIsMissing() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Helm(CHART).template().withName("farm").set("secrets.create", true).call());
        assertTrue(refused.getMessage().contains("secrets.dbPassword"), refused.getMessage());
    }

    private static List<HasMetadata> render(com.marcnuri.helm.TemplateCommand command) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : command.call().split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                objects.add(YAML.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " among "
                        + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    private static Set<String> secretKeys(Container container, String secret) {
        return container.getEnv().stream().map(EnvVar::getValueFrom).filter(Objects::nonNull).map(v -> v.getSecretKeyRef()).filter(Objects::nonNull)
                .filter(ref -> ref.getName().equals(secret)).map(ref -> ref.getKey()).collect(Collectors.toSet());
    }

    private static Map<String, Object> triggerOn(List<Map<String, Object>> triggers, String topic) {
        return triggers.stream().filter(t -> topic.equals(metadata(t).get("topic"))).findFirst()
                .orElseThrow(() -> new AssertionError("no trigger on " + topic + ": " + triggers));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> trigger) {
        return (Map<String, Object>) trigger.get("metadata");
    }
}
