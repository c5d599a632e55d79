package facefarm.worker.provenance.c2pa;

import facefarm.common.provenance.Consent;
import facefarm.common.provenance.RenderRecord;
import facefarm.common.provenance.SourceConsent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A C2PA manifest store (claim v2) for one delivered file: an actions assertion saying the picture was made with
 * trained algorithmic media, the file's hard binding, and the farm's own record of the render (the job, the farm,
 * the watermark's payload, the models with their licences, the consents), signed with the farm's key.
 */
public final class ContentCredentials {
    /** IPTC's term for a picture composited with elements a trained model made (a face swap). */
    static final String DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
    /** The label of the farm's own assertion. */
    public static final String RENDER_ASSERTION = "dev.facefarm.render";

    private final String generator;
    private final String version;

    public ContentCredentials(String generator, String version) {
        this.generator = generator;
        this.version = version;
    }

    /** The manifest store for a file whose hard binding is {@code binding} (label and CBOR map). */
    public byte[] manifestStore(RenderRecord render, String bindingLabel, Map<String, Object> binding, SigningCredentials credentials) {
        String manifest = "urn:c2pa:" + UUID.randomUUID();
        String base = "self#jumbf=/c2pa/" + manifest;
        List<byte[]> assertions = new ArrayList<>();
        List<Object> references = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> assertion : assertions(render, bindingLabel, binding).entrySet()) {
            byte[] box = Jumbf.cbor(Jumbf.CBOR_CONTENT, assertion.getKey(), Cbor.encode(assertion.getValue()));
            assertions.add(box);
            references.add(hashedUri(base + "/c2pa.assertions/" + assertion.getKey(), box));
        }
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("instanceID", "xmp:iid:" + UUID.randomUUID());
        claim.put("claim_generator_info", Map.of("name", generator, "version", version));
        claim.put("signature", base + "/c2pa.signature");
        claim.put("created_assertions", references);
        claim.put("alg", "sha256");
        byte[] claimBytes = Cbor.encode(claim);
        byte[] assertionStore = Jumbf.superbox(Jumbf.ASSERTION_STORE, "c2pa.assertions", assertions.toArray(byte[][]::new));
        byte[] claimBox = Jumbf.cbor(Jumbf.CLAIM, "c2pa.claim.v2", claimBytes);
        byte[] signatureBox = Jumbf.cbor(Jumbf.SIGNATURE, "c2pa.signature", CoseSign1.sign(claimBytes, credentials));
        byte[] manifestBox = Jumbf.superbox(Jumbf.MANIFEST, manifest, assertionStore, claimBox, signatureBox);
        return Jumbf.superbox(Jumbf.MANIFEST_STORE, "c2pa", manifestBox);
    }

    private Map<String, Map<String, Object>> assertions(RenderRecord render, String bindingLabel, Map<String, Object> binding) {
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("action", "c2pa.created");
        created.put("digitalSourceType", DIGITAL_SOURCE_TYPE);
        created.put("softwareAgent", Map.of("name", generator, "version", version));
        created.put("description", "faces replaced by " + String.join(", ", render.processors()) + " on job " + render.jobId());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("job", render.jobId());
        record.put("farm", render.farmName());
        if (render.watermark() != null) {
            record.put("watermark", render.watermark());
        }
        record.put("processors", render.processors());
        record.put("models", render.models().stream().map(m -> (Object) Map.of("id", m.id(), "license", m.license(), "commercialUse",
                m.commercialUse())).toList());
        record.put("consents", render.consents().stream().map(ContentCredentials::consent).toList());
        Map<String, Map<String, Object>> assertions = new LinkedHashMap<>();
        assertions.put("c2pa.actions.v2", Map.of("actions", List.of(created)));
        assertions.put(bindingLabel, binding);
        assertions.put(RENDER_ASSERTION, record);
        return assertions;
    }

    private static Object consent(SourceConsent source) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source", source.source());
        map.put("name", source.name());
        Consent consent = source.consent();
        if (consent != null) {
            map.put("id", consent.id());
            map.put("attestedBy", consent.attestedBy());
            if (consent.document() != null) {
                map.put("document", consent.document());
            }
        }
        return map;
    }

    /** A hashed URI: the reference, and the SHA-256 of the box it names without its own header (the box's type and size). */
    private static Map<String, Object> hashedUri(String url, byte[] box) {
        MessageDigest sha = BmffHash.sha256();
        sha.update(box, 8, box.length - 8);
        Map<String, Object> uri = new LinkedHashMap<>();
        uri.put("url", url);
        uri.put("hash", sha.digest());
        return uri;
    }

    /** The uuid box that carries a manifest store at the top level of an MP4 or MOV file (purpose "manifest"). */
    public static byte[] c2paBox(byte[] manifestStore) {
        byte[] purpose = "manifest".getBytes(StandardCharsets.US_ASCII);
        int size = 8 + 16 + 4 + purpose.length + 1 + 8 + manifestStore.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(ByteBuffer.allocate(8).putInt(size).put("uuid".getBytes(StandardCharsets.US_ASCII)).array());
        out.writeBytes(BmffHash.C2PA_UUID);
        out.writeBytes(new byte[4]);
        out.writeBytes(purpose);
        out.write(0);
        out.writeBytes(new byte[8]);
        out.writeBytes(manifestStore);
        return out.toByteArray();
    }
}
