package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.ServiceUnavailableException;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.runtime.s3.ObjectStoreException;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.s3.S3Store.StoredObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fixes a job's {@code s3://} input at submit: the objects its path names (one object, the objects
 * directly under a prefix, or those a glob matches), cut into byte-range splits and grouped into
 * map tasks exactly as files under the input root are. Each split names its object by its full
 * {@code s3://bucket/key}, which map workers read with ranged GETs.
 */
@Component
class ObjectInput {

    private static final Logger log = LoggerFactory.getLogger(ObjectInput.class);

    private final S3Store store;

    ObjectInput(S3Store store) {
        this.store = store;
    }

    /** What a path that names no object answers: also the answer for a path outside the caller's grants. */
    static UnreadableInputException missing(ObjectPath path) {
        return new UnreadableInputException("inputPath '" + path + "': no objects at " + path);
    }

    /**
     * @throws UnreadableInputException for a missing bucket, no objects, or credentials the store refuses
     * @throws ServiceUnavailableException if the store cannot be reached
     */
    FileInput.Plan plan(ObjectPath path, long splitSize, int numMappers) {
        List<StoredObject> objects;
        try {
            objects = store.list(path);
        } catch (ObjectStoreException e) {
            if (e.reason() == ObjectStoreException.Reason.UNAVAILABLE) {
                log.warn("cannot list {}", path, e);
                throw new ServiceUnavailableException("the object store did not answer: " + e.getMessage(), e);
            }
            if (e.reason() == ObjectStoreException.Reason.NOT_FOUND) {
                throw missing(path);
            }
            throw new UnreadableInputException("inputPath '" + path + "': " + e.getMessage());
        }
        long total = objects.stream().mapToLong(StoredObject::size).sum();
        List<FileSplit> splits = FileSplitter.split(
                objects,
                StoredObject::size,
                StoredObject::gzip,
                FilePlanner.splitCount(total, splitSize, numMappers),
                (o, start, end, gzip) -> new FileSplit(o.uri(), start, end, gzip));
        return FileInput.plan(path.toString(), splits, numMappers);
    }
}
