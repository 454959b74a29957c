// README's "Node (jose)" snippet, byte for byte between the markers (downstream/run.sh checks it).
// --8<-- [start:node]
import { createRemoteJWKSet, jwtVerify } from 'jose';

const issuer = process.env.MELTANO_ISSUER ?? 'https://auth.example.com';
// an unknown kid refetches the JWKS unless the last fetch is under cooldownDuration old: keep it short
const jwks = createRemoteJWKSet(new URL(`${issuer}/oauth2/jwks`), { cooldownDuration: 1_000, cacheMaxAge: 300_000 });

export async function verify(token) {
  const { payload } = await jwtVerify(token, jwks, {
    issuer, audience: 'meltano', typ: 'at+jwt',
    algorithms: ['RS256', 'ES256', 'EdDSA'], requiredClaims: ['exp', 'sub'],
  });
  return payload; // throws -> 401
}

// SPEC section 8 on code points ('?' is one code point, not one UTF-16 unit)
export function matches(pattern, text) {
  const p = [...pattern], t = [...text];
  let pi = 0, ti = 0, star = -1, mark = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') { star = pi++; mark = ti; }
    else if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) { pi++; ti++; }
    else if (star >= 0) { pi = star + 1; ti = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export const allows = (claims, type, name) =>
  Object.entries(claims.permissions ?? {}).some(([k, v]) => matches(k, type) && v.some((p) => matches(p, name)));
// --8<-- [end:node]
