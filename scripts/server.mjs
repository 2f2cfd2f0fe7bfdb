// A tiny static file server for dist/, bound to 127.0.0.1 only. Serves with COOP/COEP so
// performance.now() has fine resolution for interaction timing.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};

export function startServer(root, { port = 0, prefix = "/", isolate = true, maxRequestLine = Infinity } = {}) {
  const base = resolve(root);
  // Large headers allowed so the oversized-link tests reach the app, not a 431.
  const server = createServer({ maxHeaderSize: 2 * 1024 * 1024 }, async (req, res) => {
    // As a stock static server does (nginx: 414 beyond its 8 KB header buffer).
    if (`${req.method} ${req.url} HTTP/1.1`.length > maxRequestLine) {
      res.writeHead(414).end("request-URI too large");
      return;
    }
    try {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (!path.startsWith(prefix)) {
        res.writeHead(404).end("not found");
        return;
      }
      path = path.slice(prefix.length - 1);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(base, path));
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      await stat(file);
      const body = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" };
      if (isolate) {
        headers["cross-origin-opener-policy"] = "same-origin";
        headers["cross-origin-embedder-policy"] = "require-corp";
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => {
    server.listen(port, "127.0.0.1", () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
