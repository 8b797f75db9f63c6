#!/usr/bin/env bash
# API tokens for the operator API, the status lookup and the console, signed with the deployment's
# own key (RS256 JWTs, verified by the service through QUARKUS_OIDC_PUBLIC_KEY; docs/OPERATIONS.md).
# Needs only openssl.
#
#   scripts/operator-token.sh keys DIR [DEPLOYMENT]
#       makes DIR/operator-key.pem (private, mode 600: keep it where the tokens are issued, never
#       in the service), DIR/operator-key.pub and DIR/deployment (DEPLOYMENT, default "local"),
#       once; then prints the settings the service needs (as "settings" does)
#   scripts/operator-token.sh settings DIR
#       prints QUARKUS_OIDC_PUBLIC_KEY, QUARKUS_OIDC_TOKEN_ISSUER and QUARKUS_OIDC_TOKEN_AUDIENCE
#       for DIR's key and deployment, one NAME=value per line
#   scripts/operator-token.sh token DIR NAME ROLES [DAYS]
#       prints a token for NAME with ROLES (comma-separated group names: status-reader, viewer,
#       operator, psk-reader, or the names a deployment configured), valid DAYS days (1 to 7,
#       default 1); NAME is who the audit log names. A token cannot be revoked alone: rotating
#       the key (keys in a new DIR, then QUARKUS_OIDC_PUBLIC_KEY) revokes every token at once.
set -euo pipefail

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
fail() { echo "$1" >&2; exit 1; }

deployment_of() {
  local name
  name="$(cat "$1/deployment" 2>/dev/null || echo local)"
  [[ "$name" =~ ^[a-z0-9][a-z0-9.-]{0,62}$ ]] || fail "$1/deployment: 1-63 of a-z 0-9 . -"
  printf '%s' "$name"
}

settings() {
  local dir="$1" deployment
  [ -f "$dir/operator-key.pub" ] || fail "no key in $dir: run operator-token.sh keys $dir first"
  deployment="$(deployment_of "$dir")"
  echo "QUARKUS_OIDC_PUBLIC_KEY=$(cat "$dir/operator-key.pub")"
  echo "QUARKUS_OIDC_TOKEN_ISSUER=cloudconnect-provisioner/$deployment/operator-token"
  echo "QUARKUS_OIDC_TOKEN_AUDIENCE=cloudconnect-provisioner/$deployment"
}

case "${1:-}" in
  keys)
    DIR="${2:?usage: operator-token.sh keys DIR [DEPLOYMENT]}"
    DEPLOYMENT="${3:-local}"
    [[ "$DEPLOYMENT" =~ ^[a-z0-9][a-z0-9.-]{0,62}$ ]] || fail "DEPLOYMENT: 1-63 of a-z 0-9 . -"
    (umask 077; mkdir -p "$DIR")
    if [ ! -f "$DIR/operator-key.pem" ]; then
      (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DIR/operator-key.pem" 2>/dev/null)
      printf '%s\n' "$DEPLOYMENT" > "$DIR/deployment"
    fi
    chmod 600 "$DIR/operator-key.pem"
    openssl rsa -in "$DIR/operator-key.pem" -pubout 2>/dev/null | grep -v '^-----' | tr -d '\n' > "$DIR/operator-key.pub"
    settings "$DIR"
    ;;
  settings)
    settings "${2:?usage: operator-token.sh settings DIR}"
    ;;
  token)
    DIR="${2:?usage: operator-token.sh token DIR NAME ROLES [DAYS]}"
    NAME="${3:?name}"
    ROLES="${4:?roles, e.g. viewer or operator,psk-reader}"
    DAYS="${5:-1}"
    [[ "$NAME" =~ ^[A-Za-z0-9._@-]{1,64}$ ]] || fail "NAME: 1-64 of A-Z a-z 0-9 . _ @ -"
    [[ "$DAYS" =~ ^[1-7]$ ]] || fail "DAYS: a whole number from 1 to 7 (the service refuses older tokens)"
    [[ "$ROLES" =~ ^[A-Za-z0-9._:-]{1,64}(,[A-Za-z0-9._:-]{1,64})*$ ]] \
      || fail "ROLES: comma-separated group names, e.g. viewer or operator,psk-reader"
    [ -f "$DIR/operator-key.pem" ] || fail "no key in $DIR: run operator-token.sh keys $DIR first"
    DEPLOYMENT="$(deployment_of "$DIR")"
    GROUPS_JSON="$(printf '%s' "$ROLES" | tr ',' '\n' | sed 's/.*/"&"/' | paste -sd, -)"
    NOW="$(date +%s)"
    JTI="$(openssl rand -hex 16)"
    HEADER="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)"
    PAYLOAD="$(printf '{"iss":"cloudconnect-provisioner/%s/operator-token","aud":"cloudconnect-provisioner/%s","upn":"%s","sub":"%s","groups":[%s],"iat":%s,"exp":%s,"jti":"%s"}' \
      "$DEPLOYMENT" "$DEPLOYMENT" "$NAME" "$NAME" "$GROUPS_JSON" "$NOW" "$((NOW + DAYS * 86400))" "$JTI" | b64url)"
    SIGNATURE="$(printf '%s.%s' "$HEADER" "$PAYLOAD" | openssl dgst -sha256 -sign "$DIR/operator-key.pem" | b64url)"
    printf '%s.%s.%s\n' "$HEADER" "$PAYLOAD" "$SIGNATURE"
    ;;
  *)
    sed -n '2,21p' "$0" >&2
    exit 1
    ;;
esac
