package facefarm.worker.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The worker's health endpoints, for container health checks and Kubernetes probes: {@code /health/live} answers 200
 * while the process runs; {@code /health/ready} answers 200 while its heartbeats reach Kafka and it is not stopping,
 * else 503. On FARM_HEALTH_PORT (off when unset), bound to FARM_HEALTH_HOST (127.0.0.1 unless set; images set 0.0.0.0).
 */
public final class WorkerHealth implements AutoCloseable {
    private final HttpServer server;

    /** What readiness reads: when the last heartbeat was acknowledged (System.nanoTime) and whether the worker stops. */
    public record Signals(LongSupplier lastHeartbeatNanos, java.util.function.BooleanSupplier stopping, Duration staleAfter) {
    }

    private WorkerHealth(HttpServer server) {
        this.server = server;
    }

    /** @return the started endpoints, or null when FARM_HEALTH_PORT is unset */
    public static WorkerHealth start(java.util.Map<String, String> env, Signals signals) {
        String port = env.get("FARM_HEALTH_PORT");
        if (port == null || port.isBlank()) {
            return null;
        }
        String host = env.getOrDefault("FARM_HEALTH_HOST", "127.0.0.1");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, Integer.parseInt(port.trim())), 16);
            server.createContext("/health/live", exchange -> answer(exchange, 200, "{\"status\":\"UP\"}"));
            server.createContext("/health/ready", exchange -> {
                long age = System.nanoTime() - signals.lastHeartbeatNanos().getAsLong();
                boolean fresh = age <= signals.staleAfter().toNanos();
                boolean stopping = signals.stopping().getAsBoolean();
                String why = stopping ? "stopping" : fresh ? null : "no heartbeat acknowledged by Kafka for " + Duration.ofNanos(age).toSeconds() + " s";
                answer(exchange, why == null ? 200 : 503, why == null ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"reason\":\"" + why + "\"}");
            });
            server.setExecutor(null);
            server.start();
            return new WorkerHealth(server);
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("cannot serve health checks on FARM_HEALTH_HOST=" + host + " FARM_HEALTH_PORT=" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
