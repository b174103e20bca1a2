#!/usr/bin/python3
"""Time and memory of a ggufc conversion, side by side with `cp` of the same
bytes.

Generates a bf16 Qwen3 checkpoint of about 1 GB with utils/make-fixture.py
(kept in the work directory for later runs), reads it once so both commands
start from a warm page cache, then runs `cp -r` and `ggufc` on it and prints
wall time and peak memory of each:

  peak RSS   the kernel's high-water mark of resident memory (what
             `/usr/bin/time -v` calls "Maximum resident set size"); it also
             counts pages of the mmapped inputs that were touched, which the
             kernel can drop at any time
  peak anon  the largest anonymous resident memory seen (sampled every 10 ms
             from /proc/PID/status RssAnon): the memory the process really
             holds; the brief wants it to grow with the largest tensor, not
             with the model

usage: utils/bench-memory.py [--work DIR] [--ggufc PATH] [--layers N]
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024


def fail(message):
    sys.stderr.write(f"bench-memory: error: {message}\n")
    sys.exit(1)


def safetensors_files(checkpoint):
    return sorted(os.path.join(checkpoint, f) for f in os.listdir(checkpoint)
                  if f.endswith(".safetensors"))


def largest_tensor_bytes(checkpoint):
    largest = 0
    for path in safetensors_files(checkpoint):
        with open(path, "rb") as f:
            (header_size,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(header_size))
        for name, info in header.items():
            if name != "__metadata__":
                begin, end = info["data_offsets"]
                largest = max(largest, end - begin)
    return largest


def tree_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, files in os.walk(path) for f in files)


def warm_page_cache(checkpoint):
    for path in safetensors_files(checkpoint):
        with open(path, "rb") as f:
            while f.read(MIB):
                pass


def rss_anon_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            direct = [int(c) for c in f.read().split()]
    except OSError:
        return []
    return direct + [d for c in direct for d in descendants(c)]


def measure(command, report):
    """Runs command under /usr/bin/time; returns (wall s, peak RSS MiB, peak anon MiB).

    /usr/bin/time, not this script, forks the command: a child's high-water
    mark starts at its parent's size at fork time."""
    process = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", "-o", report] + command)
    peak_anon = 0
    while process.poll() is None:
        peak_anon = max([peak_anon] + [rss_anon_kib(c) for c in descendants(process.pid)])
        time.sleep(0.01)
    if process.returncode != 0:
        fail(f"{' '.join(command)} failed (status {process.returncode})")
    with open(report) as f:
        wall, peak_rss = f.read().split()[-2:]
    return float(wall), int(peak_rss) / 1024, peak_anon / 1024


# Qwen3-0.6B's shapes with 24 layers: about 1 GB of bf16, the largest tensor
# being the 151936 x 1024 embedding.
FIXTURE_SHAPE = ["--hidden", "1024", "--heads", "16", "--kv-heads", "8",
                 "--head-dim", "128", "--intermediate", "3072", "--vocab", "151936"]


def make_checkpoint(checkpoint, layers):
    if os.path.exists(os.path.join(checkpoint, "config.json")):
        print(f"bench-memory: reusing {checkpoint}")
        return
    shutil.rmtree(checkpoint, ignore_errors=True)
    command = ["/usr/bin/python3", os.path.join(REPO, "utils", "make-fixture.py"), checkpoint,
               "--arch", "qwen3", "--tokenizer", "synthetic", "--dtype", "bf16",
               "--layers", str(layers)] + FIXTURE_SHAPE
    print("bench-memory: " + " ".join(command))
    if subprocess.run(command).returncode != 0:
        shutil.rmtree(checkpoint, ignore_errors=True)
        fail("could not generate the checkpoint")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=os.path.join(REPO, "out", "bench"),
                        help="work directory (default: <repo>/out/bench)")
    parser.add_argument("--ggufc", default=os.path.join(REPO, "build", "bin", "ggufc"))
    parser.add_argument("--layers", type=int, default=24,
                        help="decoder layers (24: about 1 GB)")
    args = parser.parse_args()

    work = os.path.abspath(args.work)
    checkpoint = os.path.join(work, f"qwen3-bf16-{args.layers}-layers")
    copy, gguf = os.path.join(work, "copy"), os.path.join(work, "out.gguf")
    report = os.path.join(work, "time.txt")
    os.makedirs(work, exist_ok=True)
    make_checkpoint(checkpoint, args.layers)
    warm_page_cache(checkpoint)

    results = []
    shutil.rmtree(copy, ignore_errors=True)
    results.append(("cp -r", measure(["cp", "-r", checkpoint, copy], report), tree_bytes(copy)))
    shutil.rmtree(copy)
    # As stored (bf16 stays bf16), then with a conversion of every weight.
    for name, options in (("ggufc", []), ("ggufc -outtype=f16", ["-outtype=f16"])):
        results.append((name, measure([args.ggufc, checkpoint, "-o", gguf] + options, report),
                        tree_bytes(gguf)))
        os.remove(gguf)

    weights = sum(os.path.getsize(p) for p in safetensors_files(checkpoint))
    print(f"checkpoint: {weights / MIB:.1f} MiB of SafeTensors, "
          f"largest tensor {largest_tensor_bytes(checkpoint) / MIB:.1f} MiB")
    print(f"{'command':<18} {'wall s':>8} {'peak RSS MiB':>13} {'peak anon MiB':>14} {'output MiB':>11}")
    for name, (wall, peak_rss, peak_anon), output in results:
        print(f"{name:<18} {wall:>8.2f} {peak_rss:>13.1f} {peak_anon:>14.1f} {output / MIB:>11.1f}")


if __name__ == "__main__":
    main()
