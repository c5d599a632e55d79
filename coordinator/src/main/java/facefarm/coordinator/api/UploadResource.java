package facefarm.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import facefarm.common.messaging.Messages;
import facefarm.common.storage.ObjectKeys;
import facefarm.common.uploads.UploadPlan;
import facefarm.common.uploads.UploadRequest;
import facefarm.common.uploads.UploadState;
import facefarm.coordinator.access.CurrentCaller;
import facefarm.coordinator.access.Role;
import facefarm.coordinator.config.FarmConfig;
import facefarm.coordinator.ingest.BadInputException;
import facefarm.storage.ObjectStore;
import facefarm.storage.StorageException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Presigned multipart uploads: the client PUTs the file's parts straight to S3, in parallel and resumably, so a
 * 50 GB master never passes through the coordinator. A job then refers to the upload's key.
 */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.SUBMITTER_NAME, Role.OPERATOR_NAME})
public class UploadResource {
    @Inject
    CurrentCaller caller;

    @Inject
    ObjectStore objects;

    @Inject
    FarmConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an upload {\"name\": ..., \"size\": bytes}: the answer has a presigned PUT URL for every part and the key a job "
            + "refers to once the upload is complete")
    public UploadPlan start(String body) {
        UploadRequest request = read(body, UploadRequest.class, "{\"name\": \"master.mov\", \"size\": 53687091200}");
        String problem = request.problem();
        if (problem != null) {
            throw new BadInputException(400, problem);
        }
        String key = ObjectKeys.upload(caller.get().tenant(), UUID.randomUUID().toString(), request.name());
        String uploadId = objects.startMultipart(key);
        long partSize = request.partSize(config.uploadPartSize().asLongValue());
        List<UploadPlan.Part> parts = new ArrayList<>();
        for (long offset = 0; offset < request.size(); offset += partSize) {
            int number = parts.size() + 1;
            parts.add(new UploadPlan.Part(number, offset, Math.min(partSize, request.size() - offset),
                    objects.presignedPart(key, uploadId, number, config.presignExpiry())));
        }
        return new UploadPlan(uploadId, key, partSize, parts, Instant.now().plus(config.presignExpiry()));
    }

    @GET
    @Path("/{uploadId}")
    @Operation(summary = "The parts of an unfinished upload that have arrived, to resume it")
    public UploadState state(@PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        checkKey(key);
        return new UploadState(uploadId, key, parts(key, uploadId));
    }

    @POST
    @Path("/{uploadId}/complete")
    @Operation(summary = "Join the uploaded parts into the object; every part must have arrived")
    public Map<String, Object> complete(@PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        checkKey(key);
        List<UploadState.Part> parts = parts(key, uploadId);
        if (parts.isEmpty()) {
            throw new BadInputException(409, "no part of upload " + uploadId + " has arrived: PUT the parts to their URLs first");
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).number() != i + 1) {
                throw new BadInputException(409, "part " + (i + 1) + " of upload " + uploadId + " has not arrived: PUT it again, then complete");
            }
        }
        objects.completeMultipart(key, uploadId, parts.stream().map(p -> new ObjectStore.UploadedPart(p.number(), p.etag(), p.size())).toList());
        return Map.of("key", key, "size", objects.size(key));
    }

    @DELETE
    @Path("/{uploadId}")
    @Operation(summary = "Abandon an unfinished upload and free its parts")
    public Map<String, Object> abort(@PathParam("uploadId") String uploadId, @QueryParam("key") String key) {
        checkKey(key);
        objects.abortMultipart(key, uploadId);
        return Map.of("aborted", uploadId);
    }

    private List<UploadState.Part> parts(String key, String uploadId) {
        try {
            return objects.uploadedParts(key, uploadId).stream().map(p -> new UploadState.Part(p.number(), p.etag(), p.size())).toList();
        } catch (StorageException e) {
            throw new BadInputException(404, "no unfinished upload " + uploadId + " of '" + key + "': start a new one with POST /api/v1/uploads", e);
        }
    }

    /** The caller's own tenant's uploads only; another tenant's upload is as unknown as one that never was. */
    private void checkKey(String key) {
        String uploads = ObjectKeys.uploadsPrefix(caller.get().tenant());
        if (key == null || !key.startsWith(uploads) || ObjectKeys.keyProblem(key) != null) {
            throw new BadInputException(400, "key must be the upload's key (" + uploads + "...) that POST /api/v1/uploads answered with");
        }
    }

    private static <T> T read(String body, Class<T> type, String example) {
        try {
            T value = Messages.JSON.readValue(body == null || body.isBlank() ? "null" : body, type);
            if (value == null) {
                throw new BadInputException(400, "the body is missing: send " + example);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new BadInputException(400, "the body is not " + example + ": " + e.getOriginalMessage());
        }
    }
}
