// A remote inspector for the UI and window tests: `livehook inspector serve` with its read API, both
// over HTTPS with a self-signed certificate made for the test, on loopback.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const cli = process.env.LIVEHOOK_CLI ?? join(root, "target/debug/livehook");
export const REMOTE_TOKEN = "remote-api-token-0123456789";

/**
 * `livehook inspector serve` on loopback with its read API, both over HTTPS with a fresh self-signed
 * certificate for 127.0.0.1: { api, receiver, fingerprint, post(body), stop() }.
 */
export async function startRemote() {
  const dir = mkdtempSync(join(tmpdir(), "livehook-remote-"));
  const [cert, key, tokenFile] = [join(dir, "cert.pem"), join(dir, "key.pem"), join(dir, "token")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=CA:FALSE", "-keyout", key, "-out", cert], { stdio: "ignore" });
  const fingerprint = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256", "-in", cert]).toString().trim().split("=")[1];
  writeFileSync(tokenFile, REMOTE_TOKEN + "\n", { mode: 0o600 });
  const child = spawn(cli, ["inspector", "serve", "--listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0", "--api-token-file", tokenFile, "--db", join(dir, "events.db"), "--tls-cert", cert, "--tls-key", key], { stdio: ["ignore", "pipe", "pipe"] });
  const stderr = [];
  child.stderr.on("data", (d) => stderr.push(String(d)));
  const found = { receiver: null, api: null };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the remote inspector did not start: ${stderr.join("")}`)), 20000);
    child.on("exit", (code) => reject(new Error(`the remote inspector exited (${code}): ${stderr.join("")}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const rx = line.match(/listening on (https:\/\/[\d.:]+)/);
      const api = line.match(/Read API on (https:\/\/[\d.:]+)\/api/);
      if (rx) found.receiver = rx[1];
      if (api) found.api = api[1];
      if (found.receiver && found.api) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  /** POST a callback to the remote's receiver (its certificate is the test's own). */
  const post = (body) =>
    new Promise((resolve, reject) => {
      const url = new URL(`${found.receiver}/live/push`);
      const data = JSON.stringify(body);
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", rejectUnauthorized: false, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(data);
    });
  const stop = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...found, fingerprint, post, stop };
}

/** A push callback's body for stream `stream`. */
export const pushBody = (stream, seq = 1) => ({ event_type: 1, stream_id: stream, app: "push.example.com", appname: "live", sequence: String(seq) });
