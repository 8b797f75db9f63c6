#!/usr/bin/env bash
# API tokens for the operator API and console, signed with the deployment's own key (RS256 JWTs,
# verified by the service through QUARKUS_OIDC_PUBLIC_KEY; docs/OPERATIONS.md). Needs only openssl.
#
#   scripts/operator-token.sh keys DIR
#       makes DIR/operator-key.pem (private: keep it where the tokens are issued, never in the
#       service) and DIR/operator-key.pub (the value of QUARKUS_OIDC_PUBLIC_KEY), once
#   scripts/operator-token.sh token DIR NAME ROLES [DAYS]
#       prints a token for NAME with ROLES (comma-separated: viewer, operator, psk-reader), valid
#       DAYS days (default 30); NAME is who the audit log names
set -euo pipefail

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

case "${1:-}" in
  keys)
    DIR="${2:?usage: operator-token.sh keys DIR}"
    mkdir -p "$DIR"
    if [ ! -f "$DIR/operator-key.pem" ]; then
      (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DIR/operator-key.pem" 2>/dev/null)
    fi
    openssl rsa -in "$DIR/operator-key.pem" -pubout 2>/dev/null | grep -v '^-----' | tr -d '\n' > "$DIR/operator-key.pub"
    echo "QUARKUS_OIDC_PUBLIC_KEY is the content of $DIR/operator-key.pub" >&2
    ;;
  token)
    DIR="${2:?usage: operator-token.sh token DIR NAME ROLES [DAYS]}"
    NAME="${3:?name}"
    ROLES="${4:?roles, e.g. viewer or operator,psk-reader}"
    DAYS="${5:-30}"
    [[ "$NAME" =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || { echo "NAME: 1-64 of A-Z a-z 0-9 . _ @ -" >&2; exit 1; }
    GROUPS_JSON="$(printf '%s' "$ROLES" | tr ',' '\n' | grep -E '^(viewer|operator|psk-reader)$' \
      | sed 's/.*/"&"/' | paste -sd, -)"
    [ -n "$GROUPS_JSON" ] || { echo "ROLES: viewer, operator and/or psk-reader" >&2; exit 1; }
    NOW="$(date +%s)"
    HEADER="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)"
    PAYLOAD="$(printf '{"iss":"cloudconnect-provisioner","upn":"%s","sub":"%s","groups":[%s],"iat":%s,"exp":%s}' \
      "$NAME" "$NAME" "$GROUPS_JSON" "$NOW" "$((NOW + DAYS * 86400))" | b64url)"
    SIGNATURE="$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign "$DIR/operator-key.pem" | b64url)"
    printf '%s.%s.%s\n' "$HEADER" "$PAYLOAD" "$SIGNATURE"
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 1
    ;;
esac
