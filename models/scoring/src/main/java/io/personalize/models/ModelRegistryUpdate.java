package io.personalize.models;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One reading of a model registry file and of every model and card it names, as bytes: what the
 * scoring stage loads, validates and serves (so a subtask serves exactly the bytes it validated).
 * {@link #fingerprint} identifies the reading; a reading equal to the previous one is sent without
 * its content. A Flink POJO.
 */
public class ModelRegistryUpdate {
    /** The registry file. */
    public String source;

    /** The registry YAML; null when unchanged since the last reading or unreadable. */
    public String text;

    /**
     * Model and card bytes by path relative to the registry; a file that could not be read is
     * absent.
     */
    public Map<String, byte[]> files;

    /** Why the registry could not be read; null when it was. */
    public String error;

    /** SHA-256 over the registry and every file read. */
    public String fingerprint;

    /** Processing time of the reading. */
    public long readAt;

    public ModelRegistryUpdate() {}

    /** Whether this reading carries content (not just "unchanged"). */
    public boolean hasContent() {
        return text != null || error != null;
    }

    /**
     * Reads the registry at {@code registry} and every model and card it names. Never throws: an
     * unreadable registry is an update with its error; an unreadable model is left out of {@link
     * #files} (refused when loaded).
     */
    public static ModelRegistryUpdate read(Path registry, long now) {
        ModelRegistryUpdate update = new ModelRegistryUpdate();
        update.source = registry.toString();
        update.readAt = now;
        update.files = new TreeMap<>();
        try {
            update.text = Files.readString(registry, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            update.error = "cannot read " + registry + ": " + e;
            update.fingerprint = digest(update.error.getBytes(StandardCharsets.UTF_8));
            return update;
        }
        try {
            ModelRegistry parsed = ModelRegistry.parse(update.text, update.source);
            Path base = registry.toAbsolutePath().getParent();
            for (ModelRegistry.Slot slot : parsed.models().values()) {
                readRelease(base, slot.champion(), update.files);
                if (slot.challenger() != null) {
                    readRelease(base, slot.challenger(), update.files);
                }
            }
        } catch (ModelException e) {
            // refused by the scoring stage, which parses again and reports it
        }
        update.fingerprint = fingerprint(update.text, update.files);
        return update;
    }

    /** The shipped registry and models, from the classpath. */
    public static ModelRegistryUpdate shipped(long now) {
        ModelRegistryUpdate update = new ModelRegistryUpdate();
        update.source = "the shipped models (classpath " + ModelRegistry.SHIPPED_RESOURCE_DIR + ")";
        update.readAt = now;
        update.files = new TreeMap<>();
        update.text = resource(ModelRegistry.FILE_NAME);
        if (update.text == null) {
            update.error = "no " + ModelRegistry.FILE_NAME + " in " + update.source;
            update.fingerprint = digest(update.error.getBytes(StandardCharsets.UTF_8));
            return update;
        }
        try {
            for (ModelRegistry.Slot slot :
                    ModelRegistry.parse(update.text, update.source).models().values()) {
                for (ModelRegistry.Release release :
                        new ModelRegistry.Release[] {slot.champion(), slot.challenger()}) {
                    if (release == null) {
                        continue;
                    }
                    for (String path : new String[] {release.path(), cardPath(release.path())}) {
                        byte[] bytes = resourceBytes(path);
                        if (bytes != null) {
                            update.files.put(path, bytes);
                        }
                    }
                }
            }
        } catch (ModelException e) {
            // refused by the scoring stage
        }
        update.fingerprint = fingerprint(update.text, update.files);
        return update;
    }

    /**
     * Writes this reading as files: the registry as {@code dir/registry.yaml} and every model and
     * card at its relative path (e.g. the shipped models, for a registry to edit).
     *
     * @return the registry file
     */
    public Path writeTo(Path dir) throws IOException {
        if (text == null) {
            throw new IOException("nothing to write: " + error);
        }
        Files.createDirectories(dir);
        Path registry = dir.resolve(ModelRegistry.FILE_NAME);
        Files.writeString(registry, text, StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = dir.resolve(file.getKey()).normalize();
            if (!target.startsWith(dir.normalize())) {
                throw new IOException(file.getKey() + " lies outside " + dir);
            }
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return registry;
    }

    private static String resource(String path) {
        byte[] bytes = resourceBytes(path);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] resourceBytes(String path) {
        try (java.io.InputStream in =
                ModelRegistryUpdate.class
                        .getClassLoader()
                        .getResourceAsStream(ModelRegistry.SHIPPED_RESOURCE_DIR + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private static void readRelease(
            Path base, ModelRegistry.Release release, Map<String, byte[]> files) {
        for (String path : new String[] {release.path(), cardPath(release.path())}) {
            try {
                files.put(path, Files.readAllBytes(base.resolve(path)));
            } catch (IOException | RuntimeException e) {
                // absent: the release is refused with "cannot read"
            }
        }
    }

    /** The card's path for a model path, relative like it. */
    public static String cardPath(String modelPath) {
        String base =
                modelPath.endsWith(".onnx")
                        ? modelPath.substring(0, modelPath.length() - 5)
                        : modelPath;
        return base + ModelCards.CARD_SUFFIX;
    }

    /** This reading without its content, for when it equals the previous one. */
    public ModelRegistryUpdate unchanged() {
        ModelRegistryUpdate u = new ModelRegistryUpdate();
        u.source = source;
        u.fingerprint = fingerprint;
        u.readAt = readAt;
        return u;
    }

    static String fingerprint(String text, Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(text.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(file.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelRegistryUpdate u
                && readAt == u.readAt
                && Objects.equals(source, u.source)
                && Objects.equals(text, u.text)
                && Objects.equals(error, u.error)
                && Objects.equals(fingerprint, u.fingerprint)
                && sameFiles(files, u.files);
    }

    private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, fingerprint, readAt);
    }
}
