package io.cloudconnect.provisioner.secrets;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals pre-shared keys for the time they wait in PostgreSQL (AES-256-GCM, random 96-bit nonce, the
 * request id as associated data so a sealed value cannot be moved to another row). Stored as {@code
 * v1:<key id>:<base64(nonce|ciphertext|tag)>}, the key id being the first bytes of the key's
 * SHA-256. Rotation: the new key becomes {@code psk-key}, the old one moves to {@code
 * psk-previous-keys} until no sealed value made with it is left (they live only until emnify
 * accepts the attachment, i.e. minutes).
 */
@ApplicationScoped
public class PskVault {
  private static final String VERSION = "v1";
  private static final String FINGERPRINT = "f1";
  private static final String HMAC = "HmacSHA256";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final String currentId;
  private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  @Inject
  PskVault(ProvisionerConfig config) {
    this(
        config
            .secrets()
            .pskKey()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "cloudconnect.secrets.psk-key (CLOUDCONNECT_SECRETS_PSK_KEY) is not set:"
                            + " a base64 AES-256 key is required to store pre-shared keys")),
        config.secrets().pskPreviousKeys().orElse(List.of()));
  }

  public PskVault(String base64Key) {
    this(base64Key, List.of());
  }

  public PskVault(String base64Key, List<String> previousBase64Keys) {
    List<String> all = new ArrayList<>();
    all.add(base64Key);
    all.addAll(previousBase64Keys);
    for (String encoded : all) {
      byte[] raw = Base64.getDecoder().decode(encoded.trim());
      if (raw.length != 32) {
        throw new IllegalStateException("PSK keys must decode to 32 bytes (AES-256)");
      }
      keys.putIfAbsent(keyId(raw), new SecretKeySpec(raw, "AES"));
    }
    this.currentId = keys.keySet().iterator().next();
  }

  public String seal(Secret psk, String requestId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed =
        crypt(
            Cipher.ENCRYPT_MODE,
            keys.get(currentId),
            nonce,
            requestId,
            psk.reveal().getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
    return VERSION + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out.array());
  }

  /**
   * A keyed fingerprint of a request's parameters ({@code f1:<key id>:<HMAC-SHA256>}), to tell a
   * redelivery from a reused request_id without keeping the parameters, its pre-shared key
   * included, in a form that could be guessed back: the HMAC key is derived from the current PSK
   * key. Fingerprints made with different keys cannot be compared.
   */
  public String fingerprint(byte[] canonical) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(derived(keys.get(currentId), "request fingerprint"), HMAC));
      return FINGERPRINT
          + ":"
          + currentId
          + ":"
          + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(canonical));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("a request fingerprint could not be made", e);
    }
  }

  private static byte[] derived(SecretKeySpec key, String purpose) throws GeneralSecurityException {
    Mac mac = Mac.getInstance(HMAC);
    mac.init(new SecretKeySpec(key.getEncoded(), HMAC));
    return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
  }

  public Secret open(String sealed, String requestId) {
    String[] parts = sealed.split(":", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION)) {
      throw new IllegalStateException(
          "sealed PSK of request " + requestId + " has an unknown format");
    }
    SecretKeySpec key = keys.get(parts[1]);
    if (key == null) {
      throw new IllegalStateException(
          "sealed PSK of request "
              + requestId
              + " was sealed with key "
              + parts[1]
              + ", which is not configured");
    }
    byte[] all = Base64.getDecoder().decode(parts[2]);
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(all, 0, nonce, 0, NONCE_BYTES);
    byte[] body = new byte[all.length - NONCE_BYTES];
    System.arraycopy(all, NONCE_BYTES, body, 0, body.length);
    return Secret.of(
        new String(
            crypt(Cipher.DECRYPT_MODE, key, nonce, requestId, body), StandardCharsets.UTF_8));
  }

  private static byte[] crypt(
      int mode, SecretKeySpec key, byte[] nonce, String requestId, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(requestId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // the message names neither key nor plaintext
      throw new IllegalStateException(
          "sealed PSK of request " + requestId + " cannot be opened", e);
    }
  }

  private static String keyId(byte[] raw) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
