"""Fixtures: a `livehook emulator serve` process over HTTPS on a free loopback port, with a throw-away
certificate, and the two official clients (the Python SDK and tccli) pointed at it."""

import json
import os
import pathlib
import subprocess
import sys

import certifi
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIVEHOOK = os.environ.get("LIVEHOOK_BIN", str(ROOT / "target" / "debug" / "livehook"))
SECRET_ID = "AKIDofficialclients01"
SECRET_KEY = "officialclientskey"


class Emulator:
    def __init__(self, proc, endpoint, bundle):
        self.proc = proc
        self.endpoint = endpoint  # host:port, as the SDK and tccli take it
        self.bundle = bundle


def _certificate(tmp):
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    # The SDK verifies against certifi's bundle only; give it one that also trusts this certificate.
    bundle = tmp / "bundle.pem"
    bundle.write_text(pathlib.Path(certifi.where()).read_text() + cert.read_text())
    return cert, key, bundle


def start_emulator(tmp, *extra):
    tmp.mkdir()
    cert, key, bundle = _certificate(tmp)
    proc = subprocess.Popen(
        [LIVEHOOK, "emulator", "serve", "--listen", "127.0.0.1:0", "--secret-id", SECRET_ID,
         "--secret-key", SECRET_KEY, "--tls-cert", str(cert), "--tls-key", str(key), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    banner = proc.stdout.readline()
    if "https://127.0.0.1:" not in banner:
        proc.kill()
        raise RuntimeError("the emulator did not start: " + banner + proc.stderr.read())
    endpoint = banner.split("https://", 1)[1].split(",", 1)[0]
    return Emulator(proc, endpoint, bundle)


@pytest.fixture
def emulator(tmp_path):
    emu = start_emulator(tmp_path / "emulator")
    yield emu
    emu.proc.kill()
    emu.proc.wait()


@pytest.fixture
def fast_emulator(tmp_path):
    """An emulator whose retry waits are 600 times shorter (a minute becomes 0.1 s)."""
    emu = start_emulator(tmp_path / "fast", "--time-scale", "600")
    yield emu
    emu.proc.kill()
    emu.proc.wait()


@pytest.fixture
def skewed_emulator(tmp_path):
    """An emulator whose clock runs an hour ahead of this machine's."""
    emu = start_emulator(tmp_path / "skewed", "--clock-offset", "3600")
    yield emu
    emu.proc.kill()
    emu.proc.wait()


@pytest.fixture
def tccli(tmp_path):
    """Run tccli in its own HOME, trusting the emulator's certificate through a sitecustomize hook."""
    home = tmp_path / "home"
    home.mkdir()
    hook = tmp_path / "hook"
    hook.mkdir()

    def run(emu, service_action, *args, secret_key=SECRET_KEY, secret_id=SECRET_ID):
        (hook / "sitecustomize.py").write_text(
            "import certifi\ncertifi.where = lambda: %r\n" % str(emu.bundle)
        )
        env = dict(os.environ, HOME=str(home), PYTHONPATH=str(hook))
        cmd = [str(pathlib.Path(sys.executable).parent / "tccli"), "live", service_action, "--cli-unfold-argument",
               *args, "--secretId", secret_id, "--secretKey", secret_key, "--endpoint", emu.endpoint,
               "--region", "ap-guangzhou"]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        out = done.stdout.strip()
        try:
            body = json.loads(out) if out.startswith("{") else None
        except json.JSONDecodeError:
            body = None
        return done.returncode, body, out + done.stderr

    return run
