package dev.backprop.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFilesTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    @Test
    void readsInputsThenTargetsExactlyAsWritten() throws IOException {
        DataSet d = CsvFiles.read(write("0.1, 2e-3,-4\n\n5,.5,6.25\n"), 2, 1);
        assertEquals(2, d.size());
        assertTrue(d.isDoublePrecision());
        assertEquals(0.1, d.input(0, 0), 0.0);
        assertEquals(2e-3, d.input(0, 1), 0.0);
        assertEquals(-4, d.target(0, 0), 0.0);
        assertEquals(6.25, d.target(1, 0), 0.0);
    }

    @Test
    void readsLabelsAsOneHotTargets() throws IOException {
        DataSet d = CsvFiles.readLabeled(write("1,2,0\n3,4,2\n"), 2, 3);
        assertEquals(2, d.label(1));
        assertEquals(1.0, d.target(1, 2), 0.0);
        assertEquals(0.0, d.target(1, 0), 0.0);
    }

    @Test
    void badRowsNameTheFileTheLineAndTheField() throws IOException {
        assertError("line 2: expected 3 fields (2 inputs, then 1 target), found 2", write("1,2,3\n4,5\n"), 2, 1);
        assertError("line 1, field 2: 'x' is not a number (the file must not have a header row)", write("1,x,3\n"), 2, 1);
        assertError("line 2, field 1: 'NaN' is not a number", write("1,2,3\nNaN,1,1\n"), 2, 1);
        assertError("line 1, field 3: 'Infinity' is not a number (the file must not have a header row)",
                write("1,2,Infinity\n"), 2, 1);
        assertError("line 1, field 1: 1e999 is out of the range of a double", write("1e999,2,3\n"), 2, 1);
        assertError("line 2, field 2: '' is not a number", write("1,2,3\n1,,3\n"), 2, 1);
        assertError("holds no examples: the data set would be empty", write("\n  \n"), 2, 1);
    }

    @Test
    void labelsOutOfRangeAreRefused() throws IOException {
        Path f = write("1,2,0\n3,4,3\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CsvFiles.readLabeled(f, 2, 3));
        assertEquals(f + ": line 2, field 3: label 3 is outside the 3 classes 0..2", e.getMessage());
        Path g = write("1,2,1.5\n");
        e = assertThrows(FileFormatException.class, () -> CsvFiles.readLabeled(g, 2, 3));
        assertEquals(g + ": line 1, field 3: label '1.5' is not a whole number", e.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        Path missing = dir.resolve("nope.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CsvFiles.read(missing, 1, 1));
        assertEquals(missing + ": CSV file not found", e.getMessage());
    }

    @Test
    void findingsOfTheFuzzerAreRefusedWithTheirPlace() throws IOException {
        // A value that fits a double but not the float in which labeled inputs are kept (fuzz finding c527ef7c).
        Path big = write("1,1e300,1\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CsvFiles.readLabeled(big, 2, 3));
        assertEquals(big + ": line 1, field 2: 1e300 is out of the range of a float, in which labeled inputs are kept",
                e.getMessage());
        // A million digits, then a letter: refused at once, where a backtracking pattern would never finish.
        Path digits = write("1," + "7".repeat(1_000_000) + "x\n");
        e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(FileFormatException.class, () -> CsvFiles.read(digits, 1, 1)));
        assertEquals(true, e.getMessage().startsWith(digits + ": line 1, field 2: '7777"), e.getMessage());
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
        Path marked = write("\uFEFF0.5,2,1\n3,4,0\n");
        DataSet d = CsvFiles.readLabeled(marked, 2, 3);
        assertEquals(0.5, d.input(0, 0), 0.0);
        assertEquals(1, d.label(0));
        assertArrayEquals(new double[] {0.5, 2, 1, 3, 4, 0}, CsvFiles.readInputs(marked, 3), 0.0);
        assertEquals(0.5, CsvFiles.read(marked, 2, 1).input(0, 0), 0.0);
        // Only at the start of the file: elsewhere it is a character that is not a number.
        FileFormatException e = assertThrows(FileFormatException.class,
                () -> CsvFiles.readInputs(write("1,2\n\uFEFF3,4\n"), 2));
        assertEquals(dir.resolve("data.csv") + ": line 2, field 1: '\uFEFF3' is not a number", e.getMessage());
    }

    @Test
    void inputsToPredictBeyondTheRangeOfAFloatAreRefused() throws IOException {
        Path big = write("0.5,1e39\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CsvFiles.readInputs(big, 2));
        assertEquals(big + ": line 1, field 2: 1e39 is out of the range of a float, in which inputs to predict are kept",
                e.getMessage());
        assertArrayEquals(new double[] {0.5, 3.4e38}, CsvFiles.readInputs(write("0.5,3.4e38\n"), 2), 0.0);
    }

    private static void assertError(String expected, Path file, int inputs, int targets) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> CsvFiles.read(file, inputs, targets));
        assertEquals(file + ": " + expected, e.getMessage());
        assertEquals(file, e.file());
    }
}
