#!/usr/bin/env bash
# Create a clinic's database and one server user per laptop, members only.
# Usage: ADMIN_PASSWORD=... ./add-clinic.sh https://sync.district.example CA_FILE CLINIC_DB DEVICE...
# Prints one credentials line per laptop (user and a fresh random password):
# copy each into that laptop's credentials file, never into a shared place.
set -euo pipefail
url="$1"; ca="$2"; db="$3"; shift 3
: "${ADMIN_PASSWORD:?set ADMIN_PASSWORD (the CouchDB admin password)}"
c=(curl -fsS --cacert "$ca" -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json')
"${c[@]}" -X PUT "$url/$db" >/dev/null
names=()
for device in "$@"; do
  user="device-$device"
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  "${c[@]}" -X PUT "$url/_users/org.couchdb.user:$user" \
    -d "{\"name\":\"$user\",\"password\":\"$password\",\"roles\":[],\"type\":\"user\"}" >/dev/null
  names+=("\"$user\"")
  echo "$device: database=$db user=$user password=$password"
done
members=$(IFS=,; echo "${names[*]}")
"${c[@]}" -X PUT "$url/$db/_security" \
  -d "{\"admins\":{\"names\":[],\"roles\":[]},\"members\":{\"names\":[$members],\"roles\":[]}}" >/dev/null
