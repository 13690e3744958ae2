package dev.quma.tokens.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One row of the issuance ledger: a token as issued, and its revocation if any. */
@Entity
@Table(name = "dataplane_token")
public class IssuedToken {
  @Id public UUID jti;

  /** Issue order, assigned by the database. */
  @Column(insertable = false, updatable = false)
  public Long seq;

  @Column(nullable = false)
  public String mesh;

  /** Null when the token fits any proxy name. */
  public String name;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false, columnDefinition = "jsonb")
  public Map<String, List<String>> tags;

  @Column(name = "proxy_type")
  public String proxyType;

  public String workload;

  @Column(name = "key_serial", nullable = false)
  public int keySerial;

  @Column(name = "issued_at", nullable = false)
  public Instant issuedAt;

  @Column(name = "expires_at", nullable = false)
  public Instant expiresAt;

  @Column(name = "issued_by", nullable = false)
  public String issuedBy;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "revoked_by")
  public String revokedBy;
}
