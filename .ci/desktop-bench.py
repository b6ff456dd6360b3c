#!/usr/bin/env python3
"""The desktop benchmark (`make bench`): LiveHook against a bare Tauri 2 app built from
bench/minimal-tauri with the same tauri and the same release profile.

Both are started alternately, ROUNDS times each after one uncounted first start (which compiles the
app's GL shaders into the shared MESA_SHADER_CACHE_DIR), each start in a fresh HOME, on one Xvfb screen
inside this script's D-Bus session (run it under `dbus-run-session`: .ci/desktop-bench does).
For each start it measures:
  - mapped: from the spawn to the app's window being viewable (xwininfo, polled);
  - painted: from the spawn to the window holding more than one colour (`import`, polled), i.e. the
    page drew something beyond its background;
  - PSS after IDLE seconds: the app's process and every process under it (WebKit's web and network
    processes), from /proc/*/smaps_rollup.
Then the sizes of both release binaries, and of the .deb files when given: LiveHook's as shipped (xz,
packaging/recompress-deb) against the minimal app's as Tauri builds it (gzip) and, when a third is given,
the minimal app's recompressed the same way. Prints every figure and
each LiveHook/minimal ratio with its min and median. Asserts no time: it only fails when an app does not
start at all.
"""

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROUNDS = int(os.environ.get("DESKTOP_ROUNDS", "3"))
IDLE = float(os.environ.get("DESKTOP_IDLE", "10"))
TIMEOUT = 60.0


def window_of(title, display):
    """The id of a top-level window named `title`, or None."""
    out = subprocess.run(
        ["xwininfo", "-root", "-tree"], env={**os.environ, "DISPLAY": display},
        capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        line = line.strip()
        if f'"{title}"' in line and line.startswith("0x"):
            return line.split()[0]
    return None


def viewable(win, display):
    out = subprocess.run(
        ["xwininfo", "-id", win], env={**os.environ, "DISPLAY": display}, capture_output=True, text=True
    ).stdout
    return "IsViewable" in out


def colours(win, display):
    out = subprocess.run(
        ["import", "-window", win, "-format", "%k", "info:"],
        env={**os.environ, "DISPLAY": display}, capture_output=True, text=True,
    ).stdout.strip()
    try:
        return int(out)
    except ValueError:
        return 0


def descendants(pid):
    """`pid` and every process started under it."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def pss_kib(pids):
    """The summed PSS of `pids` and, by process name, each one's share."""
    total, parts = 0, {}
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                kib = next(int(l.split()[1]) for l in f if l.startswith("Pss:"))
            with open(f"/proc/{p}/comm") as f:
                name = f.read().strip()
        except (OSError, StopIteration):
            continue
        total += kib
        parts[name] = parts.get(name, 0) + kib
    return total, parts


def run_once(binary, title, display, home):
    # Its own HOME each start, so LiveHook starts as a new user does (the offline demo, nothing saved).
    env = {**os.environ, "DISPLAY": display, "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config",
           "XDG_DATA_HOME": f"{home}/.local/share", "XDG_CACHE_HOME": f"{home}/.cache"}
    started = time.monotonic()
    proc = subprocess.Popen([binary], env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    mapped = painted = None
    win = None
    try:
        while time.monotonic() - started < TIMEOUT:
            if proc.poll() is not None:
                raise SystemExit(f"{binary} exited with {proc.returncode} before painting")
            if win is None:
                win = window_of(title, display)
            if win is not None and mapped is None and viewable(win, display):
                mapped = time.monotonic() - started
            if mapped is not None and colours(win, display) > 1:
                painted = time.monotonic() - started
                break
            time.sleep(0.005)
        if painted is None:
            raise SystemExit(f"{binary}: no painted window named {title!r} within {TIMEOUT:.0f} s")
        time.sleep(IDLE)
        pss, parts = pss_kib(descendants(proc.pid))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return mapped, painted, pss, parts


def mib(kib):
    return kib / 1024


def main():
    livehook, minimal = sys.argv[1], sys.argv[2]
    debs = sys.argv[3:6]
    display = os.environ.get("DISPLAY")
    if not display:
        raise SystemExit("run under Xvfb (DISPLAY is not set)")
    apps = [("LiveHook", livehook, "LiveHook"), ("minimal", minimal, "Minimal Tauri app")]
    runs = {name: [] for name, _, _ in apps}
    print(f"Desktop: {ROUNDS} starts of each app, alternately, each in a fresh HOME, after a first start that is not "
          f"counted (it compiles the app's GL shaders); PSS after {IDLE:.0f} s idle (the app and its WebKit processes)")
    print(f"{'round':<6} {'app':<9} {'mapped':>9} {'painted':>9} {'PSS':>10}   by process")
    # Round 0 is not counted: an app's first start on a machine compiles its GL shaders (Mesa keeps
    # them in MESA_SHADER_CACHE_DIR, shared by every start here, as ~/.cache is across a user's starts).
    for r in range(0, ROUNDS + 1):
        for name, binary, title in apps:
            with tempfile.TemporaryDirectory() as home:
                mapped, painted, pss, parts = run_once(binary, title, display, home)
            if r > 0:
                runs[name].append((mapped, painted, pss))
            by = ", ".join(f"{k} {mib(v):.0f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
            label = r if r > 0 else "first"
            print(f"{label:<6} {name:<9} {mapped * 1e3:>6.0f} ms {painted * 1e3:>6.0f} ms {mib(pss):>6.0f} MiB   {by}")
    print()
    print(f"{'figure':<30} {'LiveHook':>10} {'minimal':>10} {'ratio min':>10} {'median':>8}")
    for i, (label, unit) in enumerate([("start -> window mapped", "ms"), ("start -> first paint", "ms"),
                                       ("idle memory (PSS)", "MiB")]):
        ours = [run[i] for run in runs["LiveHook"]]
        base = [run[i] for run in runs["minimal"]]
        ratios = [a / b for a, b in zip(ours, base) if b]
        scale = (lambda v: v * 1e3) if unit == "ms" else mib
        print(f"{label:<30} {scale(statistics.median(ours)):>7.0f} {unit:<3}{scale(statistics.median(base)):>7.0f} {unit:<3}"
              f"{min(ratios):>9.2f}x {statistics.median(ratios):>7.2f}x")
    sizes = [("release binary", livehook, minimal)]
    if len(debs) >= 2:
        sizes.append((".deb (minimal: gzip, Tauri's)", debs[0], debs[1]))
    if len(debs) == 3:
        sizes.append((".deb (both xz -9)", debs[0], debs[2]))
    for label, a, b in sizes:
        sa, sb = os.path.getsize(a), os.path.getsize(b)
        print(f"{label:<30} {sa / 1e6:>7.1f} MB {sb / 1e6:>7.1f} MB {sa / sb:>9.2f}x")


if __name__ == "__main__":
    main()
