package dev.quma.core.tokens;

import dev.quma.core.model.ProxyType;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * What a dataplane token that passed verification says. Fields the token does not bind are null
 * ({@code name}, {@code type}, {@code workload}) or empty ({@code tags}).
 *
 * @param jti the token's id: what revocation and the issuance ledger refer to
 * @param keySerial serial number of the mesh's signing key that signed it (the {@code kid})
 */
public record VerifiedDataplaneToken(
    String jti,
    String mesh,
    String name,
    SortedMap<String, List<String>> tags,
    ProxyType type,
    String workload,
    int keySerial,
    Instant issuedAt,
    Instant expiresAt) {}
