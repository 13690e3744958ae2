package dev.quma.core.lease;

/**
 * A lease held: {@code value} is what the lease key holds ("holder#token"), compared on renewal and
 * release; {@code token} grows with every acquisition and fences the holder's writes.
 */
public record LeaseGrant(String lease, String value, long token) {
  public Fence fence() {
    return new Fence(lease, token);
  }
}
