package dev.quma.tokens.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the API shows a ledger row. The token itself is never kept, so never shown. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LedgerEntry(
    String jti,
    String mesh,
    String name,
    Map<String, List<String>> tags,
    String type,
    String workload,
    int keySerial,
    Instant issuedAt,
    Instant expiresAt,
    String issuedBy,
    Instant revokedAt,
    String revokedBy) {

  public static LedgerEntry of(IssuedToken row) {
    return new LedgerEntry(
        row.jti.toString(),
        row.mesh,
        row.name,
        row.tags == null ? Map.of() : new TreeMap<>(row.tags),
        row.proxyType,
        row.workload,
        row.keySerial,
        row.issuedAt,
        row.expiresAt,
        row.issuedBy,
        row.revokedAt,
        row.revokedBy);
  }
}
