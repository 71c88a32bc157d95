package dev.backprop.cli;

import dev.backprop.core.data.DataSet;
import dev.backprop.core.data.IdxDataSets;
import dev.backprop.core.data.IdxFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the training and test images come from: a directory laid out as MNIST and Fashion-MNIST ship
 * ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-...}), or the
 * sample of Fashion-MNIST inside the jar.
 *
 * <p>Without {@code --data}, the full Fashion-MNIST is looked for in {@code $NN_FASHION_MNIST} and then
 * where the Debian package {@code dataset-fashion-mnist} installs it; the sample is the last resort, so the
 * first run works on any machine.
 */
final class DataSource {
    /** The environment variable that points at a Fashion-MNIST directory. */
    static final String ENV = "NN_FASHION_MNIST";
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    /** The classes of Fashion-MNIST, in label order. */
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The name that {@code --data} and model provenance use for the bundled sample. */
    static final String SAMPLE = "sample";

    private static final String SAMPLE_RESOURCE = "fashion-mnist-sample/";
    private static final int CLASSES = 10;

    private final Path dir;

    private DataSource(Path dir) {
        this.dir = dir;
    }

    /** The directory {@code dir}, or the sample when {@code dir} is the word {@code sample}. */
    static DataSource of(String dir) throws IOException {
        if (SAMPLE.equals(dir)) {
            return new DataSource(null);
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(dir, null, "no such directory (--data wants a directory holding "
                    + "train-images-idx3-ubyte.gz and the other three files of MNIST's layout, or the word 'sample')");
        }
        return new DataSource(path);
    }

    /** The full Fashion-MNIST if it is installed, otherwise the sample; never fails. */
    static DataSource findDefault(String environmentValue) {
        if (environmentValue != null && !environmentValue.isBlank() && holdsFiles(Path.of(environmentValue))) {
            return new DataSource(Path.of(environmentValue));
        }
        return holdsFiles(DEBIAN) ? new DataSource(DEBIAN) : new DataSource(null);
    }

    private static boolean holdsFiles(Path dir) {
        return resolve(dir, "train-images-idx3-ubyte") != null && resolve(dir, "t10k-labels-idx1-ubyte") != null;
    }

    /** True for the sample in the jar. */
    boolean isSample() {
        return dir == null;
    }

    /** What {@code --data} would say to get this source again, from any directory: an absolute path or {@code sample}. */
    String name() {
        return isSample() ? SAMPLE : dir.toAbsolutePath().normalize().toString();
    }

    /** One line for the user: what is used, and for the sample, how to get the full set. */
    String describe() {
        if (isSample()) {
            return "the Fashion-MNIST sample inside nn (4,000 training and 1,000 test images). For the full set "
                    + "(60,000 + 10,000), install it with 'apt-get install dataset-fashion-mnist', or set " + ENV
                    + " or --data to a directory holding its four .gz files.";
        }
        return "the IDX files in " + dir;
    }

    /**
     * Names for the classes: Fashion-MNIST's for the sample and for a directory whose path says
     * "fashion", the class numbers otherwise (MNIST's digits, say).
     */
    List<String> classNames(int classes) {
        boolean fashion = isSample() || dir.toString().toLowerCase(java.util.Locale.ROOT).contains("fashion");
        if (fashion && classes == FASHION_CLASSES.size()) {
            return FASHION_CLASSES;
        }
        List<String> numbers = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            numbers.add(Integer.toString(c));
        }
        return numbers;
    }

    /** The training images and labels. */
    DataSet train() throws IOException {
        return read("train");
    }

    /** The test images and labels, never used for training or for choosing a model. */
    DataSet test() throws IOException {
        return read("t10k");
    }

    private DataSet read(String prefix) throws IOException {
        String images = prefix + "-images-idx3-ubyte";
        String labels = prefix + "-labels-idx1-ubyte";
        if (isSample()) {
            return IdxDataSets.of(resource(images + ".gz"), resource(labels + ".gz"), CLASSES);
        }
        return IdxDataSets.read(existing(images), existing(labels), CLASSES);
    }

    private Path existing(String name) throws NoSuchFileException {
        Path file = resolve(dir, name);
        if (file == null) {
            throw new NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
                    "not found (nor without .gz) in the data directory");
        }
        return file;
    }

    private static Path resolve(Path dir, String name) {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static IdxFile resource(String name) throws IOException {
        try (InputStream in = DataSource.class.getResourceAsStream(SAMPLE_RESOURCE + name)) {
            if (in == null) {
                throw new NoSuchFileException(SAMPLE_RESOURCE + name, null, "missing from the nn jar; rebuild it");
            }
            return IdxFile.read(Path.of("(sample) " + name), in);
        }
    }
}
