package io.cloudconnect.provisioner.secrets;

import io.cloudconnect.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals pre-shared keys for the time they wait in PostgreSQL (AES-256-GCM, random 96-bit nonce,
 * the request id as associated data so a sealed value cannot be moved to another row). Stored as
 * {@code v1:<base64(nonce|ciphertext|tag)>}; the version prefix leaves room for key rotation.
 */
@ApplicationScoped
public class PskVault {
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
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
                            + " a base64 AES-256 key is required to store pre-shared keys")));
  }

  public PskVault(String base64Key) {
    byte[] raw = Base64.getDecoder().decode(base64Key);
    if (raw.length != 32) {
      throw new IllegalStateException("cloudconnect.secrets.psk-key must decode to 32 bytes");
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  public String seal(Secret psk, String requestId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, requestId, psk.reveal().getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
    return PREFIX + Base64.getEncoder().encodeToString(out.array());
  }

  public Secret open(String sealed, String requestId) {
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalStateException("sealed PSK of request " + requestId + " has an unknown format");
    }
    byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    byte[] nonce = new byte[NONCE_BYTES];
    System.arraycopy(all, 0, nonce, 0, NONCE_BYTES);
    byte[] body = new byte[all.length - NONCE_BYTES];
    System.arraycopy(all, NONCE_BYTES, body, 0, body.length);
    return Secret.of(new String(crypt(Cipher.DECRYPT_MODE, nonce, requestId, body), StandardCharsets.UTF_8));
  }

  private byte[] crypt(int mode, byte[] nonce, String requestId, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(requestId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // the message names neither key nor plaintext
      throw new IllegalStateException("sealed PSK of request " + requestId + " cannot be opened", e);
    }
  }
}
