package dev.quma.core.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The control plane's own certificate authority (ECDSA P-256): it signs the server certificate each
 * service presents (bootstrap over HTTPS, xDS over gRPC), and agents and Envoys trust its
 * certificate. Kept in the store, so every replica of every service chains to the same one.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);

  public static CertificateAuthority generate(Instant now) {
    KeyPair pair = ecKeyPair();
    X500Name name = new X500Name("CN=Quma control plane CA,O=Quma");
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minusSeconds(300)),
                  Date.from(now.plus(CA_VALIDITY)),
                  name,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not create the control plane's CA", e);
    }
  }

  /** A server certificate for {@code hostnames} (DNS names or IP addresses), signed by this CA. */
  public ServerCertificate issueServer(List<String> hostnames, Instant now, Duration validity) {
    if (hostnames.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one host name");
    }
    KeyPair pair = ecKeyPair();
    List<GeneralName> names = new ArrayList<>();
    for (String host : hostnames) {
      names.add(new GeneralName(isIp(host) ? GeneralName.iPAddress : GeneralName.dNSName, host));
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minusSeconds(300)),
                  Date.from(now.plus(validity)),
                  new X500Name("CN=" + hostnames.get(0)),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate leaf = sign(builder, key);
      return new ServerCertificate(pem(leaf) + certificatePem(), pem(pair.getPrivate()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not issue a server certificate", e);
    }
  }

  public String certificatePem() {
    return pem(certificate);
  }

  public String keyPem() {
    return pem(key);
  }

  public static CertificateAuthority parse(String certificatePem, String keyPem) {
    try (PEMParser certificates = new PEMParser(new java.io.StringReader(certificatePem));
        PEMParser keys = new PEMParser(new java.io.StringReader(keyPem))) {
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate((X509CertificateHolder) certificates.readObject());
      PrivateKey key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) keys.readObject());
      return new CertificateAuthority(certificate, key);
    } catch (IOException | GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("the stored control plane CA is unreadable", e);
    }
  }

  /**
   * PEM; private keys as PKCS#8 ({@code PRIVATE KEY}), the form gRPC's Netty and Envoy both read.
   */
  static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (object instanceof PrivateKey key) {
        writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
      } else {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair ecKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(128, new SecureRandom());
  }

  private static boolean isIp(String host) {
    return dev.quma.core.validation.Addresses.isIp(host);
  }
}
