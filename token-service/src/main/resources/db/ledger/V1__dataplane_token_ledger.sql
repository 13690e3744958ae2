-- Every dataplane token the token-service issued, and whether it was revoked.
create table dataplane_token (
  jti        uuid primary key,
  seq        bigint generated always as identity, -- issue order (issued_at has whole seconds, as iat)
  mesh       text not null,
  name       text,                               -- null: the token fits any proxy name
  tags       jsonb not null default '{}'::jsonb, -- {"kuma.io/service": ["redis"]}
  proxy_type text,                               -- dataplane | ingress | egress | null
  workload   text,
  key_serial integer not null,                   -- the kid: serial of the signing key
  issued_at  timestamptz not null,
  expires_at timestamptz not null,
  issued_by  text not null,
  revoked_at timestamptz,
  revoked_by text
);
-- A mesh's tokens newest first, and those of one proxy name (listing, revoke-by-name).
create index dataplane_token_by_mesh on dataplane_token (mesh, seq desc);
create index dataplane_token_by_name on dataplane_token (mesh, name, seq desc);
