// A tiny static server for the built site, on 127.0.0.1 only: serves the folder under a
// path prefix (e.g. /manual/) as a static host does — a folder's index.html, the site's
// 404.html with status 404 for anything missing — and nothing outside the folder.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

async function file(path) {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return file(join(path, "index.html"));
    return s.isFile() ? path : null;
  } catch {
    return null;
  }
}

/** Serves `dir` at http://127.0.0.1:PORT{prefix}; resolves to { origin, base, requests, close }. */
export function serve(dir, prefix = "/") {
  const root = normalize(dir + sep);
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push(url.pathname);
    let found = null;
    if (url.pathname.startsWith(prefix)) {
      let rel;
      try {
        rel = decodeURIComponent(url.pathname.slice(prefix.length));
      } catch {
        rel = null;
      }
      const path = rel === null ? null : normalize(join(root, rel));
      // A folder without its trailing slash redirects, as static hosts do.
      if (path && path.startsWith(root)) {
        const s = await stat(path).catch(() => null);
        if (s && s.isDirectory() && !url.pathname.endsWith("/")) {
          res.writeHead(301, { location: url.pathname + "/" + url.search });
          res.end();
          return;
        }
        found = await file(path);
      }
    }
    const status = found ? 200 : 404;
    found ??= await file(join(root, "404.html"));
    if (!found) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const body = await readFile(found);
    res.writeHead(status, {
      "content-type": TYPES[extname(found)] || "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        base: origin + prefix,
        requests,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
      });
    });
  });
}
