package dev.quma.core.auth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * RSA keys as PEM, in Kuma's format for signing keys (PKCS#1, {@code RSA PRIVATE KEY}); PKCS#8
 * ({@code PRIVATE KEY}) is read too. Only the few DER steps needed to convert between them are
 * here.
 */
public final class PemKeys {
  private PemKeys() {}

  // DER prefix of a PKCS#8 PrivateKeyInfo for rsaEncryption, up to the OCTET STRING holding PKCS#1.
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  public static RSAPrivateCrtKey generate(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      KeyPair pair = generator.generateKeyPair();
      return (RSAPrivateCrtKey) pair.getPrivate();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#1 PEM ({@code -----BEGIN RSA PRIVATE KEY-----}), as Kuma stores signing keys. */
  public static String toPkcs1Pem(RSAPrivateCrtKey key) {
    byte[] pkcs8 = key.getEncoded();
    byte[] pkcs1 = innerOctetString(pkcs8);
    return pem("RSA PRIVATE KEY", pkcs1);
  }

  /** X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}). */
  public static String toPublicPem(RSAPublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  public static RSAPublicKey parsePublicKey(String pem) {
    String text = pem.trim();
    if (!text.startsWith("-----BEGIN PUBLIC KEY-----")) {
      throw new IllegalArgumentException("not a PEM encoded public key");
    }
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(base64Body(text)));
    } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid RSA public key", e);
    }
  }

  public static RSAPrivateCrtKey parsePrivateKey(String pem) {
    String text = pem.trim();
    byte[] der;
    if (text.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {
      der = wrapPkcs1(base64Body(text));
    } else if (text.startsWith("-----BEGIN PRIVATE KEY-----")) {
      der = base64Body(text);
    } else {
      throw new IllegalArgumentException("not a PEM encoded RSA private key");
    }
    try {
      return (RSAPrivateCrtKey)
          KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("not a valid RSA private key", e);
    }
  }

  private static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] base64Body(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  /** PKCS#8 = SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 }: returns pkcs1. */
  private static byte[] innerOctetString(byte[] pkcs8) {
    int[] pos = {0};
    readHeader(pkcs8, pos, 0x30);
    int versionLength = readHeader(pkcs8, pos, 0x02);
    pos[0] += versionLength;
    int algorithmLength = readHeader(pkcs8, pos, 0x30);
    pos[0] += algorithmLength;
    int keyLength = readHeader(pkcs8, pos, 0x04);
    return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + keyLength);
  }

  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(length(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static int readHeader(byte[] der, int[] pos, int expectedTag) {
    if ((der[pos[0]++] & 0xff) != expectedTag) {
      throw new IllegalArgumentException("unexpected DER structure");
    }
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int bytes = first & 0x7f;
    int length = new BigInteger(1, Arrays.copyOfRange(der, pos[0], pos[0] + bytes)).intValueExact();
    pos[0] += bytes;
    return length;
  }

  private static byte[] length(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    byte[] value = BigInteger.valueOf(length).toByteArray();
    int start = value[0] == 0 ? 1 : 0;
    byte[] out = new byte[value.length - start + 1];
    out[0] = (byte) (0x80 | (value.length - start));
    System.arraycopy(value, start, out, 1, value.length - start);
    return out;
  }
}
