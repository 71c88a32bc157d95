package dev.backprop.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Builds classification sets from a pair of IDX files, images and labels, as MNIST ships them. */
public final class IdxDataSets {
    /** Pixel values 0..255 are divided by this so that inputs lie in [0, 1]. */
    public static final float PIXEL_SCALE = 255f;

    private IdxDataSets() {
    }

    /**
     * Reads images (n × any shape, each flattened row-major into one example) and labels (n values in
     * [0, classes)), and scales pixels by 1/255 when the images are unsigned bytes.
     */
    public static DataSet read(Path images, Path labels, int classes) throws IOException {
        return of(IdxFile.read(images), IdxFile.read(labels), classes);
    }

    /** As {@link #read(Path, Path, int)}, from files already read (from resources, say). */
    public static DataSet of(IdxFile imageFile, IdxFile labelFile, int classes) throws IOException {
        return of(imageFile, labelFile, classes, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #of(IdxFile, IdxFile, int)} for a JVM whose heap may grow to {@code maxHeap} bytes. */
    static DataSet of(IdxFile imageFile, IdxFile labelFile, int classes, long maxHeap) throws IOException {
        Path images = imageFile.file();
        Path labels = labelFile.file();
        int[] imageDims = imageFile.dimensions();
        int[] labelDims = labelFile.dimensions();
        if (imageDims.length < 2) {
            throw new FileFormatException(images, "header", "has dimensions " + Arrays.toString(imageDims)
                    + "; images need at least 2 (count, then the shape of one image)");
        }
        if (labelDims.length != 1) {
            throw new FileFormatException(labels, "header", "has dimensions " + Arrays.toString(labelDims)
                    + "; labels need exactly 1 (the count)");
        }
        int n = imageDims[0];
        if (n == 0) {
            throw new FileFormatException(images, "header", "holds no images: the data set would be empty");
        }
        if (labelDims[0] != n) {
            throw new FileFormatException(labels, "header", "holds " + labelDims[0] + " labels, but " + images + " holds "
                    + n + " images");
        }
        int[] y = labelFile.toInts();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= classes) {
                throw new FileFormatException(labels, "label " + i, "is " + y[i] + ", outside the " + classes
                        + " classes 0.." + (classes - 1));
            }
        }
        // The float inputs, their copy in the data set, the labels and the one-hot targets.
        long needed = 8L * imageFile.count() + 4L * n + 4L * n * classes;
        String what = n + " images of " + imageFile.count() / n + " float32 inputs, and their one-hot targets";
        if (needed > maxHeap) {
            throw new DataSetTooLargeException(images, what, needed, maxHeap, false);
        }
        try {
            return build(imageFile, y, classes);
        } catch (OutOfMemoryError e) {
            throw new DataSetTooLargeException(images, what, needed, maxHeap, true);
        }
    }

    private static DataSet build(IdxFile imageFile, int[] y, int classes) throws FileFormatException {
        Path images = imageFile.file();
        int n = y.length;
        float[] x = imageFile.toFloats();
        int inputs = x.length / n;
        if (inputs == 0) {
            throw new FileFormatException(images, "header", "has dimensions " + Arrays.toString(imageFile.dimensions())
                    + ": an image of no pixels");
        }
        if (imageFile.type() == IdxFile.UNSIGNED_BYTE) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= PIXEL_SCALE;
            }
        }
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                throw new FileFormatException(images, "image " + i / inputs + ", value " + i % inputs,
                        "is " + x[i] + "; inputs must be finite");
            }
        }
        return DataSet.classification(x, inputs, y, classes);
    }
}
