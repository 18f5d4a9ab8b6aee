package io.personalize.job.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the system's packages ({@code postgresql} on Debian), started on
 * loopback in a directory of its own and removed again on {@link #close}. PostgreSQL refuses to run
 * as root: when the tests do, the server runs as the {@code postgres} user (via {@code runuser}).
 * Connections are trusted from loopback; the superuser is {@value #USER}.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "personalize";

    /** Set to 1 (CI does) to fail instead of skip where PostgreSQL is not installed. */
    public static final String REQUIRE_ENV = "PERSONALIZE_REQUIRE_POSTGRES";

    private final Path dir;
    private final Process server;
    private final int port;

    private PostgresServer(Path dir, Process server, int port) {
        this.dir = dir;
        this.server = server;
        this.port = port;
    }

    /** The directory of PostgreSQL's programs ({@code initdb}, {@code postgres}), if installed. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Initialises a cluster in a new directory and starts a server on a free loopback port. */
    public static PostgresServer start(Path bin) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("personalize-pg-");
        // the server user must reach its data directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path data = dir.resolve("data");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path log = dir.resolve("server.log");
        run(
                command(
                        root,
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        USER,
                        "--auth=trust",
                        "--encoding=UTF8",
                        "--no-sync"),
                dir.resolve("initdb.log"));
        int port = freePort();
        Process server =
                new ProcessBuilder(
                                command(
                                        root,
                                        bin.resolve("postgres").toString(),
                                        "-D",
                                        data.toString(),
                                        "-p",
                                        Integer.toString(port),
                                        "-c",
                                        "listen_addresses=127.0.0.1",
                                        "-c",
                                        "unix_socket_directories=" + dir,
                                        "-c",
                                        "fsync=off"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        PostgresServer started = new PostgresServer(dir, server, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = DriverManager.getConnection(started.url("postgres"), USER, "")) {
                return started;
            } catch (SQLException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    started.close();
                    throw new IOException(
                            "PostgreSQL did not start: " + Files.readString(log), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Creates a database. */
    public void createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    /** The JDBC URL of a database of this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.destroy(); // SIGTERM: a "smart" shutdown
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> command(boolean root, String... args) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static void run(List<String> command, Path log)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " failed: " + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
