// A downstream Node service using verify.mjs (README's snippet): GET /reports/{name} answers 200 when
// the token allows view:reports on the name, 403 when not, 401 for a token verify() refuses.
import http from 'node:http';
import { verify, allows } from './verify.mjs';

http.createServer(async (req, res) => {
  const match = /^\/reports\/([^/]+)$/.exec(new URL(req.url, 'http://localhost').pathname);
  if (!match) return res.writeHead(404).end();
  const auth = req.headers.authorization ?? '';
  if (!auth.startsWith('Bearer ')) return res.writeHead(401).end();
  let claims;
  try {
    claims = await verify(auth.slice('Bearer '.length));
  } catch {
    return res.writeHead(401).end();
  }
  const name = decodeURIComponent(match[1]);
  if (!allows(claims, 'view:reports', name)) return res.writeHead(403).end();
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`report ${name} for ${claims.sub}\n`);
}).listen(Number(process.env.PORT ?? 8083), '127.0.0.1');
