package dev.backprop.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV file with a header into a {@link Table}: UTF-8 (a leading byte-order mark is skipped), Unix or
 * Windows line ends, gzip when the name ends in {@code .gz}, fields quoted as in RFC 4180 within a line
 * (so a value may hold commas), blank lines skipped. Cells are trimmed; an empty cell, {@code NA},
 * {@code N/A} and {@code ?} are missing values. Every row must have as many fields as the header, and the
 * header's names must be present and distinct; the message of each problem names the file and the line.
 */
public final class TableFile {
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "?");

    private TableFile() {
    }

    /** Whether {@code file}'s name says it is a table this class reads: {@code .csv} or {@code .csv.gz}. */
    public static boolean isTable(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    /** Reads {@code file}; see the class description for what it accepts. */
    public static Table read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CSV file not found");
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return read(file, reader);
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "", "is not UTF-8 text");
        } catch (java.util.zip.ZipException e) {
            throw new FileFormatException(file, "", "is not a valid gzip file: " + e.getMessage());
        }
    }

    private static Table read(Path file, BufferedReader reader) throws IOException {
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String text;
        int line = 0;
        while ((text = reader.readLine()) != null) { // readLine ends lines at \n, \r\n and \r alike
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            List<String> fields = CsvFiles.quotedFields(file, line, text);
            if (header == null) {
                header = header(file, line, fields);
                continue;
            }
            if (fields.size() != header.size()) {
                throw new FileFormatException(file, "line " + line, "expected " + header.size()
                        + " fields, one for each column of the header, found " + fields.size());
            }
            String[] cells = new String[fields.size()];
            for (int c = 0; c < cells.length; c++) {
                String cell = fields.get(c).trim();
                cells[c] = MISSING.contains(cell.toLowerCase(Locale.ROOT)) ? null : cell;
            }
            rows.add(cells);
            lines.add(line);
        }
        if (header == null) {
            throw new FileFormatException(file, "", "is empty: a table needs a header line and rows");
        }
        if (rows.isEmpty()) {
            throw new FileFormatException(file, "", "has a header but no rows: the data set would be empty");
        }
        return new Table(file, header, rows.toArray(new String[0][]), lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<String> header(Path file, int line, List<String> fields) throws FileFormatException {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.size(); c++) {
            String name = fields.get(c).trim();
            if (name.isEmpty()) {
                throw new FileFormatException(file, "line " + line + ", column " + (c + 1),
                        "the header has no name for this column");
            }
            if (!seen.add(name)) {
                throw new FileFormatException(file, "line " + line + ", column " + (c + 1),
                        "the header names '" + name + "' twice");
            }
            names.add(name);
        }
        return names;
    }
}
