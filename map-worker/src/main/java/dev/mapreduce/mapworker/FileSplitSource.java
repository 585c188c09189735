package dev.mapreduce.mapworker;

import dev.mapreduce.engine.input.ByteRangeSplit;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.input.InputRoot;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.s3.S3Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A map task's file input: its splits, one after another, each read with the engine's
 * {@link InputSplit} (TextInputFormat line rules). Each split's path is checked again here against
 * this worker's own input root, links followed, so a message cannot make a worker read outside it
 * whatever the coordinator checked; and a file that shrank since the job was planned fails the
 * attempt rather than give other lines than planned.
 */
final class FileSplitSource implements LineSource {

    /** Lines between two looks at the cancellation. */
    private static final int CANCEL_CHECK_LINES = 4096;

    private final InputRoot root;
    private final S3Store objectStore;
    private final List<FileSplit> splits;
    private final Cancellation cancellation;

    FileSplitSource(InputRoot root, S3Store objectStore, List<FileSplit> splits, Cancellation cancellation) {
        this.root = root;
        this.objectStore = objectStore;
        this.splits = List.copyOf(splits);
        this.cancellation = cancellation;
    }

    @Override
    public void forEachLine(LineHandler handler) throws IOException {
        forEachRecord(null, false, handler);
    }

    /**
     * Each split's records in turn, as {@link InputSplit#forEachRecord} reads them: the events whose
     * first line the split owns, and with {@code header} each split's file's header line first.
     */
    @Override
    public void forEachRecord(EventStart start, boolean header, LineHandler handler) throws IOException {
        String[] names = new String[2]; // the split's file: as this worker opens it, as the job names it
        LineHandler checked = new LineHandler() {
            private int lines;

            @Override
            public void line(byte[] buf, int off, int len) {
                tick();
                handler.line(buf, off, len);
            }

            @Override
            public void oversizedLine() {
                tick();
                handler.oversizedLine();
            }

            /** Malformed samples name the file as the job does, relative to the input root. */
            @Override
            public void locator(Locator locator) {
                String actual = names[0];
                String shown = names[1];
                handler.locator(() -> {
                    String where = locator.where();
                    return where.startsWith(actual) ? shown + where.substring(actual.length()) : where;
                });
            }

            @Override
            public void header(byte[] buf, int off, int len) {
                handler.header(buf, off, len);
            }

            private void tick() {
                if (++lines % CANCEL_CHECK_LINES == 0) {
                    cancellation.throwIfCancelled();
                }
            }
        };
        for (FileSplit split : splits) {
            cancellation.throwIfCancelled();
            ByteRangeSplit input = ObjectPath.isObjectPath(split.path()) ? openObject(split) : open(split);
            names[0] = input.name();
            names[1] = split.path();
            input.forEachRecord(start, header, checked);
        }
    }

    /** An object of the store, read with ranged GETs; checked for its planned size as a file is. */
    private ByteRangeSplit openObject(FileSplit split) throws IOException {
        ObjectPath object = ObjectPath.parse(split.path());
        long size = objectStore.size(object.bucket(), object.key());
        checkSize(split, size);
        return new ByteRangeSplit(
                split.path(),
                objectStore.opener(object.bucket(), object.key(), size),
                split.start(),
                split.end(),
                split.gzip());
    }

    private ByteRangeSplit open(FileSplit split) throws IOException {
        Path file;
        try {
            file = root.resolve(split.path());
        } catch (NoSuchFileException e) {
            throw new IOException("input file " + split.path() + " does not exist under this worker's input root");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("input file " + split.path() + " is not a regular file");
        }
        checkSize(split, Files.size(file));
        return new InputSplit(file, split.start(), split.end(), split.gzip()).reader();
    }

    private static void checkSize(FileSplit split, long size) throws IOException {
        if (split.gzip() ? size != split.end() : size < split.end()) {
            throw new IOException("input file " + split.path() + " has " + size + " bytes, not the " + split.end()
                    + " it had when the job was planned: it changed");
        }
    }
}
