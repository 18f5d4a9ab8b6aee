package io.personalize.tables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system for {@code file:} warehouses, setting permissions with java.nio
 * instead of forking {@code chmod}: without Hadoop's native library, {@link RawLocalFileSystem}
 * starts a process for every file and folder it creates, which cost the bench most of its time
 * (measured: two thirds of the full pipeline's wall time). No {@code .crc} side files either:
 * Iceberg checks its own files.
 */
public class NioLocalFileSystem extends RawLocalFileSystem {

    @Override
    public String getScheme() {
        return "file";
    }

    @Override
    public void setPermission(Path path, FsPermission permission) throws IOException {
        String symbolic = permission.toString();
        if (symbolic.length() >= 9) {
            try {
                Files.setPosixFilePermissions(
                        pathToFile(path).toPath(),
                        PosixFilePermissions.fromString(
                                symbolic.substring(0, 9).replace('t', 'x').replace('T', '-')));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep what the OS gave the file
            }
        }
    }
}
