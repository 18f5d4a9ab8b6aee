package io.personalize.tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Finds and deletes the files under a table's location that no snapshot, manifest or metadata file
 * references (left by a writer killed before its commit, or by a failed rewrite), once they are
 * older than a minimum age, as Iceberg's {@code DeleteOrphanFiles} does. Files are matched by path;
 * a path found with another authority (bucket) than the table's is kept, never deleted.
 */
final class OrphanFiles {
    private OrphanFiles() {}

    /**
     * Deletes the orphan files of {@code table} last modified before {@code olderThanMillis}.
     *
     * @return the number deleted, or -1 when the table's file IO cannot list files
     */
    static int delete(Table table, long olderThanMillis) {
        if (!(table.io() instanceof SupportsPrefixOperations listing)) {
            return -1;
        }
        Set<String> reachable = reachable(table);
        List<String> orphans = new ArrayList<>();
        for (FileInfo file : listing.listPrefix(table.location())) {
            if (file.createdAtMillis() >= olderThanMillis) {
                continue;
            }
            // by path alone: a referenced path under another authority is kept, not deleted
            if (!reachable.contains(uri(file.location()).getPath())) {
                orphans.add(file.location());
            }
        }
        orphans.forEach(table.io()::deleteFile);
        return orphans.size();
    }

    /** The paths of every file the table's metadata references. */
    private static Set<String> reachable(Table table) {
        Set<String> locations = new HashSet<>();
        locations.addAll(ReachableFileUtil.metadataFileLocations(table, true));
        locations.add(ReachableFileUtil.versionHintLocation(table));
        table.statisticsFiles().stream().map(StatisticsFile::path).forEach(locations::add);
        table.partitionStatisticsFiles().stream()
                .map(PartitionStatisticsFile::path)
                .forEach(locations::add);
        Set<String> manifests = new HashSet<>();
        for (Snapshot snapshot : table.snapshots()) {
            if (snapshot.manifestListLocation() != null) {
                locations.add(snapshot.manifestListLocation());
            }
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (manifests.add(manifest.path())) {
                    locations.add(manifest.path());
                    addContentFiles(table, manifest, locations);
                }
            }
        }
        Set<String> paths = new HashSet<>();
        locations.forEach(location -> paths.add(uri(location).getPath()));
        return paths;
    }

    private static void addContentFiles(Table table, ManifestFile manifest, Set<String> into) {
        try (ManifestReader<? extends ContentFile<?>> files =
                manifest.content() == ManifestContent.DATA
                        ? ManifestFiles.read(manifest, table.io(), table.specs())
                        : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            for (ContentFile<?> file : files) {
                into.add(file.location());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A location as a URI: {@code file:/x}, {@code file:///x} and {@code /x} share one path. */
    private static URI uri(String location) {
        URI uri = new org.apache.hadoop.fs.Path(location).toUri();
        return Objects.requireNonNull(uri.normalize());
    }
}
