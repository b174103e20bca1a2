#!/usr/bin/python3
"""Time and memory of ggufc's conversions, side by side with `cp` of the same
bytes and with llama.cpp's own quantizer.

Generates a bf16 checkpoint with Qwen3-0.6B's shapes (untied, 28 layers,
about 1.5 GB) with utils/make-fixture.py (kept in the work directory for
later runs), reads it once so every command starts from a warm page cache,
then runs, one after the other:
  cp -r of the checkpoint;
  ggufc to bf16, f16, q8_0 and q4_k_m;
  llama.cpp's llama_model_quantize (build/bin/llama-quantize-ref, all cores)
  to q8_0 and q4_k_m from a bf16 GGUF of the checkpoint (written by ggufc
  beforehand);
then, untimed, both quantizers once more to check that llama.cpp's tensors
equal ggufc's (type, shape and sha256 of the bytes);
and prints wall time, CPU time and peak memory of each, and the targets met
or not:

  peak RSS   the kernel's high-water mark of resident memory (what
             `/usr/bin/time -v` calls "Maximum resident set size"); it also
             counts pages of the mmapped inputs that were touched, which the
             kernel can drop at any time
  peak anon  the largest anonymous resident memory seen (sampled every 10 ms
             from /proc/PID/status RssAnon): the memory the process really
             holds; the brief wants it to grow with the largest tensor, not
             with the model

The commands take turns, --repeat rounds (default 5) of one run each; every
run starts with no dirty pages and its output is removed before it reaches
the disk, and the run with the median wall time is reported: on a shared
2-core VM a burst of other load can make a single run several times slower.

usage: utils/bench.py [--work DIR] [--build DIR] [--layers N] [--repeat N]
"""
import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1024 * 1024


def fail(message):
    sys.stderr.write(f"bench: error: {message}\n")
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


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


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


def measure_once(command, report):
    """Runs command under /usr/bin/time; returns (wall s, CPU s, peak RSS MiB,
    peak anon MiB), CPU being user + system time of all its threads.

    /usr/bin/time, not this script, forks the command: a child's high-water
    mark starts at its parent's size at fork time."""
    os.sync()
    process = subprocess.Popen(["/usr/bin/time", "-f", "%e %U %S %M", "-o", report] + command)
    peak_anon = 0
    while process.poll() is None:
        peak_anon = max([peak_anon] + [rss_anon_kib(c) for c in descendants(process.pid)])
        time.sleep(0.01)
    if process.returncode != 0:
        fail(f"{' '.join(command)} failed (status {process.returncode})")
    with open(report) as f:
        wall, user, system, peak_rss = f.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_rss) / 1024, peak_anon / 1024


def settle():
    """Writes every dirty page to disk and waits: the virtual disk keeps the
    machine busy for a few seconds after a large write (seen: the runs just
    after a 1.4 GB file reached the disk were up to 8x slower)."""
    os.sync()
    time.sleep(SETTLE_SECONDS)


SETTLE_SECONDS = 5


def measure_rounds(commands, report, repeat):
    """Runs every (name, command, output) of commands once per round, repeat
    rounds: a burst of other load on the machine then hits one run of every
    command instead of all runs of one. Each output is removed right after
    its run, so none is ever written to disk. Returns, per command, the
    numbers of the run with the median wall time, the fastest and slowest
    wall times, and the output's size."""
    runs = {name: [] for name, _, _ in commands}
    sizes = {}
    for round in range(1, repeat + 1):
        for name, command, output in commands:
            runs[name].append(measure_once(command, report))
            sizes[name] = tree_bytes(output)
            remove(output)
            print(f"bench: round {round}/{repeat}: {name}: {runs[name][-1][0]:.2f} s",
                  file=sys.stderr)
    rows = []
    for name, _, _ in commands:
        walls = [run[0] for run in runs[name]]
        median = statistics.median_low(walls)
        rows.append((name, (next(run for run in runs[name] if run[0] == median),
                            (min(walls), max(walls)), sizes[name])))
    return rows


def run_or_fail(command):
    if subprocess.run(command).returncode != 0:
        fail(f"{' '.join(command)} failed")


# Qwen3-0.6B's shapes: with 28 layers about 1.5 GB of bf16, the largest
# tensors being the 151936 x 1024 embedding and output matrices.
FIXTURE_SHAPE = ["--hidden", "1024", "--heads", "16", "--kv-heads", "8",
                 "--head-dim", "128", "--intermediate", "3072", "--vocab", "151936",
                 "--untied"]

# llama_ftype values (llama.h) for llama-quantize-ref.
LLAMA_FTYPES = {"q8_0": 7, "q4_k_m": 15}
GGUFC_TYPES = ("bf16", "f16", "q8_0", "q4_k_m")


def make_checkpoint(checkpoint, layers):
    if os.path.exists(os.path.join(checkpoint, "config.json")):
        print(f"bench: reusing {checkpoint}")
        return
    shutil.rmtree(checkpoint, ignore_errors=True)
    command = ["/usr/bin/python3", os.path.join(REPO, "utils", "make-fixture.py"), checkpoint,
               "--arch", "qwen3", "--tokenizer", "synthetic", "--dtype", "bf16",
               "--layers", str(layers)] + FIXTURE_SHAPE
    print("bench: " + " ".join(command))
    if subprocess.run(command).returncode != 0:
        shutil.rmtree(checkpoint, ignore_errors=True)
        fail("could not generate the checkpoint")


def tensor_lines(gguf_dump, path):
    """Each tensor's name, type, shape, size and sha256 (not its offset:
    llama.cpp orders tensors by layer), sorted."""
    dump = subprocess.run([gguf_dump, "--tensors-only", "--checksums", path],
                          capture_output=True, text=True)
    if dump.returncode != 0:
        fail(f"gguf-dump {path} failed: {dump.stderr.strip()}")
    lines = [line for line in dump.stdout.splitlines() if " : " in line]
    return sorted(" ".join(w for w in line.split() if not w.startswith("offset="))
                  for line in lines)


def same_tensors(gguf_dump, ours, theirs):
    """(identical?, tensor count) of two GGUF files' tensor data."""
    a, b = tensor_lines(gguf_dump, ours), tensor_lines(gguf_dump, theirs)
    return a == b, len(a)


def cpu_name():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def verdict(ok):
    return "met" if ok else "NOT met"


def print_targets(rows, largest):
    """The issue's targets, checked against this run's numbers."""
    wall = {name: result[0] for name, (result, _, _) in rows}
    cpu = {name: result[1] for name, (result, _, _) in rows}
    fastest = {name: spread[0] for name, (_, spread, _) in rows}
    cp = wall["cp -r"]
    print("targets (medians; in brackets against cp's fastest run, the strictest reading):")
    for outtype in ("bf16", "f16"):
        ratio = wall[f"ggufc {outtype}"] / cp
        strict = wall[f"ggufc {outtype}"] / fastest["cp -r"]
        print(f"  ggufc {outtype:<6} <= 1.25 x cp: {ratio:5.2f} x  {verdict(ratio <= 1.25)} "
              f"({strict:.2f} x, {verdict(strict <= 1.25)})")
    if "llama.cpp q4_k_m" in wall:
        speedup = wall["llama.cpp q4_k_m"] / wall["ggufc q4_k_m"]
        print(f"  ggufc q4_k_m >= 2 x faster than llama.cpp: {speedup:5.2f} x  "
              f"{verdict(speedup >= 2)} (CPU time ratio "
              f"{cpu['llama.cpp q4_k_m'] / cpu['ggufc q4_k_m']:.2f} x)")
    limit = largest / MIB + 128
    for name, ((_, _, _, peak_anon), _, _) in rows:
        if name.startswith("ggufc"):
            print(f"  {name:<13} peak anon <= largest tensor + 128 MiB ({limit:.0f}): "
                  f"{peak_anon:7.1f} MiB  {verdict(peak_anon <= limit)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=os.path.join(REPO, "out", "bench"),
                        help="work directory (default: <repo>/out/bench)")
    parser.add_argument("--build", default=os.path.join(REPO, "build"),
                        help="build directory with bin/ggufc and bin/llama-quantize-ref")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per command; the median is reported (default 5)")
    parser.add_argument("--layers", type=int, default=28,
                        help="decoder layers (28, Qwen3-0.6B's: about 1.5 GB)")
    args = parser.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")

    ggufc = os.path.join(args.build, "bin", "ggufc")
    quantize_ref = os.path.join(args.build, "bin", "llama-quantize-ref")
    gguf_dump = os.path.join(args.build, "bin", "gguf-dump")
    work = os.path.abspath(args.work)
    checkpoint = os.path.join(work, f"qwen3-0.6b-bf16-{args.layers}-layers")
    copy = os.path.join(work, "copy")
    report = os.path.join(work, "time.txt")
    os.makedirs(work, exist_ok=True)
    make_checkpoint(checkpoint, args.layers)
    warm_page_cache(checkpoint)

    commands = [("cp -r", ["cp", "-r", checkpoint, copy], copy)]
    outputs = {}
    for outtype in GGUFC_TYPES:
        outputs[outtype] = os.path.join(work, f"ggufc-{outtype}.gguf")
        commands.append((f"ggufc {outtype}", [ggufc, checkpoint, "-o", outputs[outtype],
                                              f"-outtype={outtype}"], outputs[outtype]))
    llama_outputs = {}
    llama_input = os.path.join(work, "llama-input-bf16.gguf")
    if os.path.exists(quantize_ref):
        # llama.cpp quantizes a bf16 GGUF of the checkpoint's own bytes, made
        # once here: both quantizers then start from the same floats, so
        # their tensors must be identical.
        run_or_fail([ggufc, checkpoint, "-o", llama_input, "-outtype=bf16"])
        for outtype, ftype in LLAMA_FTYPES.items():
            llama_outputs[outtype] = os.path.join(work, f"llama-{outtype}.gguf")
            # Thread count 0: every core, like ggufc's default -j.
            commands.append((f"llama.cpp {outtype}", [quantize_ref, llama_input,
                                                      llama_outputs[outtype], str(ftype), "0"],
                             llama_outputs[outtype]))
    else:
        print(f"bench: {quantize_ref} not built (needs <repo>/.runtime); "
              "skipping llama.cpp's quantizer")
    for _, _, output in commands:
        remove(output)  # left by an interrupted run
    settle()
    rows = measure_rounds(commands, report, args.repeat)
    # Untimed: each quantizer once more, to compare their tensors.
    identical = {}
    for outtype, output in llama_outputs.items():
        run_or_fail([ggufc, checkpoint, "-o", outputs[outtype], f"-outtype={outtype}"])
        run_or_fail([quantize_ref, llama_input, output, str(LLAMA_FTYPES[outtype]), "0"])
        identical[outtype] = same_tensors(gguf_dump, outputs[outtype], output)
        remove(outputs[outtype])
        remove(output)
    remove(llama_input)

    weights = sum(os.path.getsize(p) for p in safetensors_files(checkpoint))
    largest = largest_tensor_bytes(checkpoint)
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores")
    print(f"checkpoint: {args.layers} layers, {weights / MIB:.1f} MiB of SafeTensors, "
          f"largest tensor {largest / MIB:.1f} MiB")
    print(f"{'command':<18} {'wall s':>8} {'(fastest-slowest)':>17} {'CPU s':>7} "
          f"{'peak RSS MiB':>13} {'peak anon MiB':>14} {'output MiB':>11}")
    for name, ((wall, cpu, peak_rss, peak_anon), (fastest, slowest), output) in rows:
        spread = f"({fastest:.2f}-{slowest:.2f})"
        print(f"{name:<18} {wall:>8.2f} {spread:>17} {cpu:>7.2f} {peak_rss:>13.1f} "
              f"{peak_anon:>14.1f} {output / MIB:>11.1f}")
    print(f"each: the run with the median wall time of {args.repeat} "
          "(the commands take turns, one run each per round)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} "
          f"(other jobs on the machine skew wall times)")
    for outtype, (same, count) in identical.items():
        print(f"ggufc {outtype} vs llama.cpp {outtype}: "
              f"{f'all {count} tensors identical' if same else 'TENSORS DIFFER'}")
    print_targets(rows, largest)


if __name__ == "__main__":
    main()
