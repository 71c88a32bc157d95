package dev.backprop.bench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backprop.parallel.EngineKind;
import dev.backprop.bench.RandomBatch;
import dev.backprop.core.GradientEngine;
import dev.backprop.core.GradientSum;
import dev.backprop.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The determinism column of a report: for every engine configuration the suite measures, a hash of the
 * gradient it computes on the benchmark's own inputs, so that a reader sees the parallel engine give the
 * same bits on every thread count (and the other engines differ from it by rounding only).
 */
public final class Determinism {
    static final String FILE = "determinism.json";

    /**
     * One hash: SHA-256 over D's doubles, J and m, shortened to 16 hex digits.
     *
     * @param config the engine configuration, as in the results ("engine=parallel threads=2 ...")
     */
    public record Hash(Map<String, String> config, String sha256) {
    }

    private Determinism() {
    }

    /** Computes the hash of every engine configuration of {@code configs}, in order. */
    public static List<Hash> compute(List<Suite.Config> configs) {
        List<Hash> hashes = new ArrayList<>();
        for (Suite.Config c : configs) {
            if (!c.isEngine()) {
                continue;
            }
            Map<String, String> p = c.params();
            RandomBatch batch = new RandomBatch(p.get("network"), Integer.parseInt(p.get("batch")), p.get("model"));
            try (GradientEngine engine = EngineKind.create(p.get("engine"), Integer.parseInt(p.get("threads")))) {
                hashes.add(new Hash(new LinkedHashMap<>(p), hash(batch.gradient(engine))));
            }
        }
        return hashes;
    }

    /** The first 16 hex digits of SHA-256 over D = Δ/m (IEEE bits, little-endian), J and m. */
    public static String hash(GradientSum sum) {
        double[] d = sum.gradient();
        ByteBuffer b = ByteBuffer.allocate(8 * d.length + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : d) {
            b.putLong(Double.doubleToRawLongBits(v));
        }
        b.putLong(Double.doubleToRawLongBits(sum.loss())).putLong(sum.count());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.array());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static void write(Path file, List<Hash> hashes) throws IOException {
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(hashes);
        AtomicFiles.write(file, out -> out.write(json));
    }

    /** The hashes beside a result file, or none. */
    static List<Hash> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<Hash>>() { });
    }
}
