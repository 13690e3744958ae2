package dev.quma.core.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes TLS material where a server can load it: {@code tls.crt} (chain), {@code tls.key} (owner
 * read-only) and {@code ca.crt} (what clients trust).
 */
public record TlsFiles(Path certificate, Path key, Path ca) {

  public static TlsFiles write(Path dir, ServerCertificate server, CertificateAuthority ca) {
    try {
      Files.createDirectories(dir);
      Path certificate = dir.resolve("tls.crt");
      Path key = dir.resolve("tls.key");
      Path caFile = dir.resolve("ca.crt");
      Files.writeString(certificate, server.chainPem());
      Files.writeString(caFile, ca.certificatePem());
      Files.deleteIfExists(key);
      Files.createFile(
          key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, server.keyPem());
      return new TlsFiles(certificate, key, caFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write TLS files to " + dir, e);
    }
  }
}
