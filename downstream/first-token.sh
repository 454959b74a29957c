#!/usr/bin/env bash
# README's "A first token", the lines between the marks exactly as README shows them; downstream/run.sh
# runs them from the repository root (with MELTANO_AUTH_DATA_DIR set to a temporary folder).
# --8<-- [start:first-token]
export MELTANO_AUTH_ADMIN_CLIENT_ID=bootstrap-admin
export MELTANO_AUTH_ADMIN_CLIENT_SECRET=$(openssl rand -hex 32)   # hex: HTTP Basic reads a "+" as a space (RFC 6749 2.3.1)
bin/meltano-auth &
until curl -sf http://localhost:8080/q/health/ready >/dev/null; do sleep 1; done   # ready: database up, key loaded
TOKEN=$(curl -s -u "$MELTANO_AUTH_ADMIN_CLIENT_ID:$MELTANO_AUTH_ADMIN_CLIENT_SECRET" \
  -d grant_type=client_credentials http://localhost:8080/oauth2/token | jq -r .access_token)

# a role with a permission, and a service client holding it
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"analyst"}' http://localhost:8080/admin/api/roles
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"type":"view:design","context":"finance.*"}' http://localhost:8080/admin/api/roles/analyst/permissions
curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"reports","redirect_uris":[],"grant_types":["client_credentials"],"roles":["analyst"]}' \
  http://localhost:8080/admin/api/clients          # shows client_id and client_secret once
# --8<-- [end:first-token]
