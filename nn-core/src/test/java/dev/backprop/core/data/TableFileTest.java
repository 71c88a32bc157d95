package dev.backprop.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableFileTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsHeaderCellsAndTheLineOfEachRow() throws IOException {
        Table t = TableFile.read(write("t.csv", "a, b ,c\n1,x, 2.5\n\n3,y,4\n"));
        assertEquals(List.of("a", "b", "c"), t.columns());
        assertEquals(2, t.size());
        assertEquals("x", t.cell(0, 1));
        assertEquals("2.5", t.cell(0, 2));
        assertEquals(4, t.line(1));
        assertEquals("line 4, column 2 'b'", t.where(1, 1));
    }

    @Test
    void skipsAByteOrderMarkAndReadsWindowsLineEnds() throws IOException {
        Table t = TableFile.read(write("t.csv", "\uFEFFname,value\r\nx,1\r\ny,2\r\n"));
        assertEquals(List.of("name", "value"), t.columns());
        assertEquals("2", t.cell(1, 1));
    }

    @Test
    void aQuotedFieldMayHoldCommasAndQuotes() throws IOException {
        Table t = TableFile.read(write("t.csv", "city,n\n\"Paris, France\",1\n\"say \"\"hi\"\"\" ,2\n"));
        assertEquals("Paris, France", t.cell(0, 0));
        assertEquals("say \"hi\"", t.cell(1, 0));
    }

    @Test
    void emptyNaAndQuestionMarkAreMissing() throws IOException {
        Table t = TableFile.read(write("t.csv", "a,b,c,d\n,NA,?,n/a\n"));
        for (int c = 0; c < 4; c++) {
            assertNull(t.cell(0, c));
        }
    }

    @Test
    void readsGzip() throws IOException {
        Path file = dir.resolve("t.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("2", TableFile.read(file).cell(0, 1));
    }

    @Test
    void aRaggedRowNamesTheLine() throws IOException {
        Path file = write("t.csv", "a,b\n1,2\n3\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> TableFile.read(file));
        assertEquals(file + ": line 3: expected 2 fields, one for each column of the header, found 1", e.getMessage());
    }

    @Test
    void aHeaderWithoutRowsIsRefused() throws IOException {
        Path file = write("t.csv", "a,b\n\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> TableFile.read(file));
        assertEquals(file + ": has a header but no rows: the data set would be empty", e.getMessage());
    }

    @Test
    void anOpenQuoteAndADuplicateNameAreRefused() throws IOException {
        Path open = write("o.csv", "a,b\n\"x,1\n");
        assertEquals(open + ": line 2, field 1: the quote opened at character 1 is not closed on this line (a field may "
                + "not span lines)", assertThrows(FileFormatException.class, () -> TableFile.read(open)).getMessage());
        Path twice = write("d.csv", "a,b,a\n1,2,3\n");
        assertEquals(twice + ": line 1, column 3: the header names 'a' twice",
                assertThrows(FileFormatException.class, () -> TableFile.read(twice)).getMessage());
    }
}
